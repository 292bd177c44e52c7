using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>The common landing of a kind: staging table, binary COPY, missing-parent check, landing SQL.</summary>
internal abstract class RecordKind<T> : RecordKind
    where T : OutboxRecord
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private string? _stagingDefinition;
    private string? _copyColumns;

    public sealed override Type RecordType => typeof(T);

    /// <summary>The staging table's columns, in COPY order.</summary>
    protected abstract IReadOnlyList<CopyColumn<T>> Columns { get; }

    /// <summary>Staging columns not filled by COPY (set by <see cref="PrepareSql"/>), as <c>name type</c>.</summary>
    protected virtual IEnumerable<string> ExtraStagingColumns => [];

    /// <summary>
    /// The statement(s) that move rows from <paramref name="staging"/> into place. Idempotent: a replayed record
    /// changes nothing it already changed.
    /// </summary>
    protected abstract string LandingSql(string staging);

    /// <summary>
    /// The landing for records on their first attempt (<see cref="LandingContext.FirstAttempt"/>), when a kind can
    /// skip work only a replay needs; <see langword="null"/> to use <see cref="LandingSql"/>. A unique violation it
    /// causes is not a bad row: the processor lands the same records again through <see cref="LandingSql"/>.
    /// </summary>
    protected virtual string? FirstLandingSql(string staging) => null;

    /// <summary>
    /// Statements run on the staged rows as the session's own role before anything lands (resolving a parent's id
    /// by its natural key, say), so they see rows row-level security would hide from the scope's user.
    /// </summary>
    protected virtual string? PrepareSql(string staging) => null;

    /// <summary>
    /// A query for the <c>id</c>s of staged rows whose parent row does not exist yet; <see langword="null"/> when the
    /// kind has no such parent (or creates it itself).
    /// </summary>
    protected virtual string? MissingParentSql(string staging) => null;

    /// <summary>Adds parameters the landing SQL uses (settings such as expiry intervals).</summary>
    protected virtual void AddLandingParameters(NpgsqlCommand command)
    {
    }

    public sealed override async Task<IReadOnlyList<OutboxRecord>> StageAsync(LandingContext context, IReadOnlyList<OutboxRecord> records, CancellationToken cancellationToken)
    {
        var staging = context.StagingTable(this);
        _stagingDefinition ??= string.Join(", ", Columns.Select(c => $"{c.Name} {c.SqlType}").Concat(ExtraStagingColumns));
        _copyColumns ??= string.Join(", ", Columns.Select(c => c.Name));
        await context.ExecuteAsync($"CREATE TEMP TABLE {staging} ({_stagingDefinition}) ON COMMIT DROP", cancellationToken).ConfigureAwait(false);

        var importer = await context.Connection.BeginBinaryImportAsync($"COPY {staging} ({_copyColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            var columns = Columns;
            foreach (var record in records)
            {
                var typed = (T)record;
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                foreach (var column in columns)
                {
                    column.Write(importer, typed);
                }
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        if (PrepareSql(staging) is { } prepare)
        {
            await context.ExecuteAsync(prepare, cancellationToken).ConfigureAwait(false);
        }

        var missingSql = MissingParentSql(staging);
        if (missingSql is null)
        {
            return [];
        }

        var missing = await context.ReadIdsAsync($"DELETE FROM {staging} WHERE id IN ({missingSql}) RETURNING id", cancellationToken).ConfigureAwait(false);
        if (missing.Count == 0)
        {
            return [];
        }

        return records.Where(r => missing.Contains(r.Id)).ToList();
    }

    public sealed override async Task LandAsync(LandingContext context, CancellationToken cancellationToken)
    {
        var staging = context.StagingTable(this);
        var sql = (context.FirstAttempt ? FirstLandingSql(staging) : null) ?? LandingSql(staging);
        using var command = new NpgsqlCommand(sql, context.Connection, context.Transaction);
        AddLandingParameters(command);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public sealed override byte[] Serialize(OutboxRecord record) => JsonSerializer.SerializeToUtf8Bytes((T)record, Json);

    public sealed override OutboxRecord Deserialize(ReadOnlySpan<byte> json)
    {
        var record = JsonSerializer.Deserialize<T>(json, Json) ?? throw new JsonException($"A {Name} record in the spill is empty.");
        Restored(record);
        return record;
    }

    /// <summary>
    /// Called for a record read back from a spill segment (a new object): a kind re-attaches what serialisation
    /// leaves out, such as the callback of a read-your-writes view.
    /// </summary>
    protected virtual void Restored(T record)
    {
    }

    /// <summary>A UTF-16 size estimate of a string, for the byte caps.</summary>
    protected static int Size(string? text) => text is null ? 0 : 24 + (text.Length * 2);

    /// <summary>A stable description for logs: the kind's name.</summary>
    public override string ToString() => new StringBuilder("RecordKind(").Append(Name).Append(')').ToString();
}
