namespace Exai.Supabase.Testing.Internal;

/// <summary>The folder holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>.</summary>
internal sealed record PostgresBinaries(string Folder)
{
    public string InitDb => Path.Combine(Folder, "initdb");

    public string PgCtl => Path.Combine(Folder, "pg_ctl");

    /// <summary>Looks on PATH first, then in the versioned folders distributions install into (newest first).</summary>
    public static PostgresBinaries? Find()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Resolve(folder);
            if (candidate is not null)
            {
                return candidate;
            }
        }

        string[] roots = ["/usr/lib/postgresql", "/usr/pgsql", "/usr/local/pgsql"];
        foreach (var root in roots)
        {
            if (Directory.Exists(Path.Combine(root, "bin")))
            {
                var direct = Resolve(Path.Combine(root, "bin"));
                if (direct is not null)
                {
                    return direct;
                }
            }

            if (!Directory.Exists(root))
            {
                continue;
            }

            var versions = Directory.GetDirectories(root)
                .Select(d => (Dir: d, Version: double.TryParse(Path.GetFileName(d), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1))
                .OrderByDescending(x => x.Version);
            foreach (var (dir, _) in versions)
            {
                var candidate = Resolve(Path.Combine(dir, "bin"));
                if (candidate is not null)
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static PostgresBinaries? Resolve(string folder)
    {
        var initdb = Path.Combine(folder, "initdb");
        var pgCtl = Path.Combine(folder, "pg_ctl");
        if (!File.Exists(initdb) || !File.Exists(pgCtl))
        {
            return null;
        }

        // /usr/local/bin/initdb is often a symlink into the real folder that also holds 'postgres'.
        var target = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true);
        var realFolder = target is null ? folder : Path.GetDirectoryName(target.FullName)!;
        return File.Exists(Path.Combine(realFolder, "postgres")) ? new PostgresBinaries(realFolder) : null;
    }
}
