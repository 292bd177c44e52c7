using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Security;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>
/// Management of stored prompts. Input is checked before any I/O; each operation is one transaction in the current
/// scope, retried on a serialisation failure, deadlock or unique violation (a concurrent writer won a race the retry
/// will see); this instance's cache is refreshed before the call returns, other instances hear of it by notification.
/// </summary>
internal sealed class PromptManager(
    PromptRepository repository,
    PromptCache cache,
    ScopedDb db,
    ILogger<PromptManager> logger) : IPromptManager
{
    private const int MaxAttempts = 6;

    public async Task<PromptStoreResult> StoreVersionAsync(NewPromptVersion prompt, CancellationToken cancellationToken = default)
    {
        var valid = Validate(prompt, nameof(prompt));
        var result = await WriteAsync(
            "store",
            valid.Key,
            (connection, transaction, ct) => repository.StoreAsync(connection, transaction, valid, ct),
            cancellationToken).ConfigureAwait(false);
        if (result.Created)
        {
            PromptsLog.Stored(logger, valid.Tool, valid.Provider, result.Version.Version);
        }

        return result;
    }

    public Task<PromptActivation> ActivateAsync(string tool, string provider, string version, string? changedBy = null, string? reason = null, CancellationToken cancellationToken = default)
    {
        var key = Key(tool, provider);
        var label = InputGuard.Required(version, nameof(version), Limits.NameLength);
        return ChangeAsync(key, PromptChangeMode.Activate, label, changedBy, reason, cancellationToken);
    }

    public Task<PromptActivation> RollbackAsync(string tool, string provider, string? changedBy = null, string? reason = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(Key(tool, provider), PromptChangeMode.Rollback, null, changedBy, reason, cancellationToken);

    public Task<PromptActivation> DeactivateAsync(string tool, string provider, string? changedBy = null, string? reason = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(Key(tool, provider), PromptChangeMode.Deactivate, null, changedBy, reason, cancellationToken);

    public async Task<IReadOnlyList<PromptVersion>> GetVersionsAsync(string tool, string provider, CancellationToken cancellationToken = default) =>
        await repository.VersionsAsync(Key(tool, provider), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<PromptHistoryEntry>> GetHistoryAsync(string tool, string provider, int limit = 100, CancellationToken cancellationToken = default)
    {
        var key = Key(tool, provider);
        if (limit is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must be between 1 and 10,000.");
        }

        return await repository.HistoryAsync(key, limit, cancellationToken).ConfigureAwait(false);
    }

    public Task<ImportReport> ImportAsync(
        IEnumerable<NewPromptVersion> prompts,
        PromptImportActivation activation = PromptImportActivation.IfNoneActive,
        string? changedBy = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        var valid = new List<ValidPrompt>();
        var index = 0;
        foreach (var prompt in prompts)
        {
            var name = $"{nameof(prompts)}[{index++}]";
            if (prompt is null)
            {
                throw new ArgumentNullException(nameof(prompts), $"{name} is null.");
            }

            valid.Add(Validate(prompt, name));
        }

        return ImportValidAsync(valid, activation, changedBy, nameof(prompts), cancellationToken);
    }

    public async Task<ImportReport> ImportDirectoryAsync(
        string directory,
        PromptImportActivation activation = PromptImportActivation.IfNoneActive,
        string? changedBy = null,
        CancellationToken cancellationToken = default)
    {
        InputGuard.Required(directory, nameof(directory), Limits.PathLength);
        var files = await PromptFileReader.ReadDirectoryAsync(directory, cancellationToken).ConfigureAwait(false);
        var valid = new List<ValidPrompt>(files.Count);
        foreach (var (prompt, path) in files)
        {
            try
            {
                valid.Add(Validate(prompt, "file") with { Source = path });
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"{Path.GetFileName(path)}: {ex.Message}", ex);
            }
        }

        return await ImportValidAsync(valid, activation, changedBy, nameof(directory), cancellationToken).ConfigureAwait(false);
    }

    public async Task<PromptStatistics> GetStatisticsAsync(string tool, string provider, string version, DateTimeOffset? since = null, CancellationToken cancellationToken = default)
    {
        var key = Key(tool, provider);
        var label = InputGuard.Required(version, nameof(version), Limits.NameLength);
        var found = await repository.StatisticsAsync(key, [label], since, cancellationToken).ConfigureAwait(false);
        return found.Count == 1 ? found[0] : throw NoSuchVersion(key, label);
    }

    public async Task<PromptComparison> CompareAsync(
        string tool,
        string provider,
        string baselineVersion,
        string candidateVersion,
        DateTimeOffset? since = null,
        CancellationToken cancellationToken = default)
    {
        var key = Key(tool, provider);
        var baseline = InputGuard.Required(baselineVersion, nameof(baselineVersion), Limits.NameLength);
        var candidate = InputGuard.Required(candidateVersion, nameof(candidateVersion), Limits.NameLength);
        var found = await repository.StatisticsAsync(key, [baseline, candidate], since, cancellationToken).ConfigureAwait(false);
        var a = found.Find(s => string.Equals(s.Version, baseline, StringComparison.Ordinal)) ?? throw NoSuchVersion(key, baseline);
        var b = found.Find(s => string.Equals(s.Version, candidate, StringComparison.Ordinal)) ?? throw NoSuchVersion(key, candidate);
        return new PromptComparison(a, b);
    }

    private static PromptNotFoundException NoSuchVersion(PromptKey key, string version) =>
        new(key.Tool, key.Provider, version, [$"database: {key} has no version '{version}'"]);

    private static PromptKey Key(string tool, string provider) => new(
        InputGuard.Required(tool, nameof(tool), Limits.NameLength),
        InputGuard.Required(provider, nameof(provider), Limits.NameLength));

    /// <summary>Checks a version to store; <paramref name="name"/> prefixes parameter names (<c>prompt.Tier</c>, <c>prompts[3].Tool</c>).</summary>
    private static ValidPrompt Validate(NewPromptVersion prompt, string name)
    {
        ArgumentNullException.ThrowIfNull(prompt, name);
        var tool = InputGuard.Required(prompt.Tool, $"{name}.{nameof(NewPromptVersion.Tool)}", Limits.NameLength);
        var provider = InputGuard.Required(prompt.Provider, $"{name}.{nameof(NewPromptVersion.Provider)}", Limits.NameLength);
        if (prompt.Tier is < 0 or > 3)
        {
            throw new ArgumentOutOfRangeException($"{name}.{nameof(NewPromptVersion.Tier)}", prompt.Tier, $"{name}.{nameof(NewPromptVersion.Tier)} is {prompt.Tier}; a tier is 0, 1, 2 or 3.");
        }

        var content = InputGuard.Required(prompt.Content, $"{name}.{nameof(NewPromptVersion.Content)}", Limits.ContentLength);
        var version = prompt.Version is null ? null : InputGuard.Required(prompt.Version, $"{name}.{nameof(NewPromptVersion.Version)}", Limits.NameLength);
        var author = InputGuard.Optional(prompt.Author, $"{name}.{nameof(NewPromptVersion.Author)}", Limits.NameLength);
        var description = InputGuard.Optional(prompt.ChangeDescription, $"{name}.{nameof(NewPromptVersion.ChangeDescription)}", Limits.ShortTextLength);
        var metadata = InputGuard.Metadata(prompt.Metadata, $"{name}.{nameof(NewPromptVersion.Metadata)}");
        return new ValidPrompt(tool, provider, content, version, prompt.Tier, metadata, author, description, Source: null);
    }

    private async Task<PromptActivation> ChangeAsync(PromptKey key, PromptChangeMode mode, string? version, string? changedBy, string? reason, CancellationToken cancellationToken)
    {
        var who = InputGuard.Optional(changedBy, nameof(changedBy), Limits.NameLength) ?? ExaiScope.Current.UserId?.ToString();
        var why = InputGuard.Optional(reason, nameof(reason), Limits.ShortTextLength);
        var result = await WriteAsync(
            mode.ToString().ToLowerInvariant(),
            key,
            (connection, transaction, ct) => repository.ChangeAsync(connection, transaction, key, mode, version, who, why, ct),
            cancellationToken).ConfigureAwait(false);
        if (result.Changed)
        {
            PromptsLog.Changed(logger, key.Tool, key.Provider, result.Action, result.ToVersion, result.FromVersion, who);
            await RefreshLocalAsync(key.Tool, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private async Task<ImportReport> ImportValidAsync(List<ValidPrompt> prompts, PromptImportActivation activation, string? changedBy, string parameterName, CancellationToken cancellationToken)
    {
        var who = InputGuard.Optional(changedBy, nameof(changedBy), Limits.NameLength) ?? ExaiScope.Current.UserId?.ToString();
        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "activation must be IfNoneActive, Always or Never.");
        }

        var twice = prompts.GroupBy(p => p.Key).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new ArgumentException(
                $"{twice.Key} appears {twice.Count()} times ({string.Join(", ", twice.Select(p => p.Source ?? p.Version ?? "(next)"))}); an import holds one version per tool and provider.",
                parameterName);
        }

        // In (tool, provider) order, so concurrent imports take their locks in the same order and cannot deadlock.
        prompts.Sort((a, b) =>
        {
            var byTool = string.CompareOrdinal(a.Tool, b.Tool);
            return byTool != 0 ? byTool : string.CompareOrdinal(a.Provider, b.Provider);
        });

        if (prompts.Count == 0)
        {
            return new ImportReport([]);
        }

        var entries = await WriteAsync(
            "import",
            prompts[0].Key,
            async (connection, transaction, ct) =>
            {
                var list = new List<ImportReportEntry>(prompts.Count);
                foreach (var prompt in prompts)
                {
                    var stored = await repository.StoreAsync(connection, transaction, prompt with { Author = prompt.Author ?? who }, ct).ConfigureAwait(false);
                    var activate = activation switch
                    {
                        PromptImportActivation.Always => !stored.Version.IsActive,
                        PromptImportActivation.IfNoneActive => !await PromptRepository.HasActiveAsync(connection, transaction, prompt.Key, ct).ConfigureAwait(false),
                        _ => false,
                    };
                    var activated = false;
                    if (activate)
                    {
                        var change = await repository.ChangeAsync(connection, transaction, prompt.Key, PromptChangeMode.Activate, stored.Version.Version, who, "import", ct).ConfigureAwait(false);
                        activated = change.Changed;
                    }

                    list.Add(new ImportReportEntry(
                        prompt.Tool,
                        prompt.Provider,
                        stored.Version.Version,
                        stored.Version.Id,
                        stored.Created ? ImportOutcome.Created : ImportOutcome.Unchanged,
                        activated,
                        prompt.Source));
                }

                return list;
            },
            cancellationToken).ConfigureAwait(false);

        var report = new ImportReport(entries);
        PromptsLog.Imported(logger, report.ToString());
        foreach (var tool in entries.Where(e => e.Activated).Select(e => e.Tool).Distinct(StringComparer.Ordinal))
        {
            await RefreshLocalAsync(tool, cancellationToken).ConfigureAwait(false);
        }

        return report;
    }

    private async Task RefreshLocalAsync(string tool, CancellationToken cancellationToken)
    {
        // The write is committed; a late cache only delays this instance's view (the notification follows anyway).
        if (!await cache.RefreshToolAsync(tool, cancellationToken).ConfigureAwait(false))
        {
            PromptsLog.LocalRefreshLate(logger, tool, cache.LoadTimeout);
        }
    }

    private async Task<T> WriteAsync<T>(string operation, PromptKey key, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        // Refused here, before any I/O, whatever the grants say: a user's flow must not change what every user is served.
        if (!ExaiScope.Current.IsService)
        {
            throw new UnauthorizedAccessException(
                $"The {operation} of prompt {key} was refused: prompts are written by the service side, not in a user scope. Run it outside a user scope (ExaiScope.Service).");
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await db.RunAsync(work, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.UniqueViolation
                                               && attempt < MaxAttempts)
            {
                PromptsLog.Retrying(logger, operation, key.Tool, key.Provider, ex.SqlState, attempt);
                // Real time, not the injected clock: a test's fake clock must not stall a retry.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) * attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                throw new UnauthorizedAccessException(
                    $"The {operation} of prompt {key} was refused ({ex.MessageText}): prompts are written by the service side. Run it outside a user scope (ExaiScope.Service).",
                    ex);
            }
        }
    }
}
