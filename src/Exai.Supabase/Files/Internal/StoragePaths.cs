using Exai.Supabase.Persistence.Internal;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// Checks bucket names and object paths before they reach a store: a path is relative, separated by <c>/</c>, and
/// has no empty, <c>.</c> or <c>..</c> segment, no back slash, no drive or scheme colon in its first segment and no
/// control character — so it can never leave its bucket, in a local folder or in a URL.
/// </summary>
internal static class StoragePaths
{
    private const int MaxBucketLength = 63;

    public static string Bucket(string? bucket, string parameterName = "bucket")
    {
        InputGuard.Required(bucket, parameterName, MaxBucketLength);
        foreach (var c in bucket!)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.'))
            {
                throw new ArgumentException($"{parameterName} '{bucket}' may hold only lower-case letters, digits, '-', '_' and '.'.", parameterName);
            }
        }

        if (bucket is "." or "..")
        {
            throw new ArgumentException($"{parameterName} must not be '.' or '..'.", parameterName);
        }

        return bucket;
    }

    public static string Path(string? path, string parameterName = "path") => Check(path, parameterName, allowEmpty: false);

    /// <summary>A folder to list: empty for the bucket's root, else a path (a trailing <c>/</c> is dropped).</summary>
    public static string Prefix(string? prefix, string parameterName = "prefix")
    {
        ArgumentNullException.ThrowIfNull(prefix, parameterName);
        return Check(prefix.EndsWith('/') ? prefix[..^1] : prefix, parameterName, allowEmpty: true);
    }

    private static string Check(string? path, string parameterName, bool allowEmpty)
    {
        if (allowEmpty && path == string.Empty)
        {
            return path;
        }

        InputGuard.Required(path, parameterName, Limits.PathLength);
        var value = path!;
        if (value.Contains('\\'))
        {
            throw new ArgumentException($"{parameterName} '{value}' contains a back slash; separate folders with '/'.", parameterName);
        }

        if (value.StartsWith('/') || System.IO.Path.IsPathRooted(value))
        {
            throw new ArgumentException($"{parameterName} '{value}' is absolute; give a path relative to the bucket.", parameterName);
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"{parameterName} contains a control character (U+{(int)c:X4}).", parameterName);
            }
        }

        var segments = value.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Length == 0)
            {
                throw new ArgumentException($"{parameterName} '{value}' has an empty segment ('//' or a trailing '/').", parameterName);
            }

            if (segment is "." or "..")
            {
                throw new ArgumentException($"{parameterName} '{value}' has a '{segment}' segment; paths may not climb out of their bucket.", parameterName);
            }

            if (i == 0 && segment.Contains(':'))
            {
                throw new ArgumentException($"{parameterName} '{value}' starts with a drive or scheme ('{segment}'); give a path relative to the bucket.", parameterName);
            }
        }

        return value;
    }
}
