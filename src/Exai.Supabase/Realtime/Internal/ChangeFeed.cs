using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Realtime.Internal;

/// <summary>
/// The change feed: each subscription a <see cref="ChangeReader"/> with its own replication connection and slot;
/// slot housekeeping through the direct data source. Disposing it (with the service provider) ends running streams.
/// </summary>
internal sealed class ChangeFeed : IChangeFeed, IAsyncDisposable
{
    public const string PublicationName = "supabase_realtime";

    /// <summary>Events decoded ahead of the consumer, at most.</summary>
    public const int BufferCapacity = 1_024;

    private readonly ExaiDataSources _sources;
    private readonly CancellationTokenSource _stopping = new();
    private readonly string? _connectionString;
    private readonly string _applicationName;

    public ChangeFeed(ExaiDataSources sources, IOptions<ExaiSupabaseOptions> options, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
    {
        _sources = sources;
        var value = options.Value;
        Options = value.Realtime;
        _connectionString = value.EffectiveDirectConnectionString;
        _applicationName = value.ApplicationName;
        TimeProvider = timeProvider;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Logger = LoggerFactory.CreateLogger<ChangeFeed>();
    }

    public RealtimeOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public ILoggerFactory LoggerFactory { get; }

    public ILogger Logger { get; }

    /// <summary>The replication connection string: the direct one, with the library's application name when it sets none.</summary>
    public string ReplicationConnectionString
    {
        get
        {
            if (string.IsNullOrWhiteSpace(_connectionString))
            {
                throw new InvalidOperationException("No connection string is configured: set ConnectionStrings:ExaiDirect (or ConnectionStrings:Exai).");
            }

            var builder = new NpgsqlConnectionStringBuilder(_connectionString);
            if (string.IsNullOrEmpty(builder.ApplicationName))
            {
                builder.ApplicationName = _applicationName;
            }

            // pgoutput's text values come from the WAL sender's type output functions, which follow its settings:
            // fix the formats the decoder parses, whatever the server's or the role's defaults are.
            builder.Options = $"{builder.Options} -c DateStyle=ISO,YMD -c TimeZone=UTC -c extra_float_digits=3".Trim();
            return builder.ConnectionString;
        }
    }

    /// <summary>The role the replication connection logs in as, for messages.</summary>
    public string Role =>
        (string.IsNullOrWhiteSpace(_connectionString) ? null : new NpgsqlConnectionStringBuilder(_connectionString).Username) ?? Environment.UserName;

    public IAsyncEnumerable<ChangeEvent> SubscribeAsync(ChangeFeedSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (subscription.SlotName is not null)
        {
            SlotNames.Validate(subscription.SlotName, $"{nameof(subscription)}.{nameof(ChangeFeedSubscription.SlotName)}");
        }

        if (!Enum.IsDefined(subscription.Acknowledgement))
        {
            throw new ArgumentOutOfRangeException(
                $"{nameof(subscription)}.{nameof(ChangeFeedSubscription.Acknowledgement)}", subscription.Acknowledgement, "Acknowledgement is not a ChangeAcknowledgement value.");
        }

        ArgumentNullException.ThrowIfNull(subscription.Filters, nameof(subscription));
        if (subscription.Filters.Any(f => f is null))
        {
            throw new ArgumentException("A filter is null.", nameof(subscription));
        }

        var unknown = subscription.Filters.Where(f => f.Table is not null && !subscription.Tables.Contains(f.Table, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"A filter names a table the subscription does not ({unknown[0]}); subscribe to it or drop the filter.", nameof(subscription));
        }

        // Taken now: the stream is enumerated later, perhaps in another flow, and must keep the subscriber's scope.
        return StreamAsync(subscription, ExaiScope.Current.UserId, cancellationToken);
    }

    public async Task<IReadOnlyList<ReplicationSlotInfo>> GetSlotsAsync(CancellationToken cancellationToken = default)
    {
        const string Sql = """
            SELECT slot_name::text, plugin::text, temporary, active, confirmed_flush_lsn,
                   COALESCE(pg_catalog.pg_wal_lsn_diff(
                       CASE WHEN pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_last_wal_receive_lsn() ELSE pg_catalog.pg_current_wal_lsn() END,
                       restart_lsn), 0)::bigint,
                   wal_status
            FROM pg_catalog.pg_replication_slots
            WHERE slot_type = 'logical' AND database = pg_catalog.current_database()
            ORDER BY slot_name
            """;
        var slots = new List<ReplicationSlotInfo>();
        var command = _sources.Direct.CreateCommand(Sql);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    slots.Add(new ReplicationSlotInfo(
                        reader.GetString(0),
                        reader.IsDBNull(1) ? string.Empty : reader.GetString(1),
                        reader.GetBoolean(2),
                        reader.GetBoolean(3),
                        reader.IsDBNull(4) ? null : reader.GetFieldValue<NpgsqlLogSequenceNumber>(4),
                        reader.GetInt64(5),
                        reader.IsDBNull(6) ? null : reader.GetString(6)));
                }
            }
        }

        foreach (var slot in slots.Where(s => s.RetainedWalBytes > Options.RetainedWalWarningBytes))
        {
            RealtimeLog.RetainedWal(Logger, slot.Name, slot.RetainedWalBytes, Options.RetainedWalWarningBytes, slot.Active);
        }

        return slots;
    }

    public async Task<bool> DropSlotAsync(string slotName, CancellationToken cancellationToken = default)
    {
        SlotNames.Validate(slotName, nameof(slotName));
        if (!ExaiScope.Current.IsService)
        {
            throw new InvalidOperationException("Replication slots are managed by the service side: drop them outside a user scope (ExaiScope.Service).");
        }

        var slot = await FindSlotAsync(slotName, cancellationToken).ConfigureAwait(false);
        if (slot is null)
        {
            return false;
        }

        if (slot.ActivePid is { } pid)
        {
            throw new InvalidOperationException($"Replication slot '{slotName}' is in use by a running subscriber (server process {pid}); stop it first.");
        }

        var command = _sources.Direct.CreateCommand("SELECT pg_catalog.pg_drop_replication_slot(@slot)");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("slot", slotName);
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedObject)
            {
                return false;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                throw new ChangeFeedPermissionException(Role, ex.MessageText, ex);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse)
            {
                throw new InvalidOperationException($"Replication slot '{slotName}' is in use by a running subscriber; stop it first.", ex);
            }
        }

        RealtimeLog.SlotDropped(Logger, slotName);
        return true;
    }

    /// <summary>A slot by name, in any database (a name is unique in the cluster).</summary>
    internal async Task<SlotRow?> FindSlotAsync(string slotName, CancellationToken cancellationToken)
    {
        var command = _sources.Direct.CreateCommand("""
            SELECT database::text, plugin::text, slot_type::text, confirmed_flush_lsn, active_pid, database = pg_catalog.current_database()
            FROM pg_catalog.pg_replication_slots WHERE slot_name = @slot
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("slot", slotName);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                return new SlotRow(
                    reader.IsDBNull(0) ? null : reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<NpgsqlLogSequenceNumber>(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4),
                    !reader.IsDBNull(5) && reader.GetBoolean(5));
            }
        }
    }

    /// <summary>
    /// Which of <paramref name="tables"/> are missing from the publication; <see langword="null"/> when the
    /// publication itself does not exist (migrations have not run yet).
    /// </summary>
    internal async Task<IReadOnlyList<string>?> MissingFromPublicationAsync(IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        var command = _sources.Direct.CreateCommand("""
            SELECT p.puballtables,
                   ARRAY(SELECT t.tablename::text FROM pg_catalog.pg_publication_tables t WHERE t.pubname = p.pubname AND t.schemaname = 'public')
            FROM pg_catalog.pg_publication p WHERE p.pubname = @publication
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("publication", PublicationName);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                var members = reader.GetFieldValue<string[]>(1);
                return reader.GetBoolean(0) ? [] : tables.Where(t => !members.Contains(t, StringComparer.Ordinal)).ToList();
            }
        }
    }

    /// <summary>Checks the retained WAL of this database's slots, logging over the threshold; never throws.</summary>
    internal async Task CheckSlotsQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await GetSlotsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            RealtimeLog.SlotCheckFailed(Logger, PostgresErrors.Describe(ex));
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Not disposed: a late SubscribeAsync still links to it (and ends at once).
        await _stopping.CancelAsync().ConfigureAwait(false);
    }

    private async IAsyncEnumerable<ChangeEvent> StreamAsync(ChangeFeedSubscription subscription, Guid? scopeUser, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var state = new ChangeStreamState();
        subscription.Attach(state);
        var reader = new ChangeReader(this, subscription, state, scopeUser);

        // A pump reads the connection while the consumer works, so keepalives are answered and a server shutdown
        // (which waits for its WAL senders to be read up to the end) is not held up by a slow consumer; the buffer
        // bounds how far ahead it reads.
        var buffer = Channel.CreateBounded<ChangeEvent>(new BoundedChannelOptions(BufferCapacity) { SingleReader = true, SingleWriter = true });
        using var stopPump = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
        Exception? failure = null;
        var pump = Task.Run(
            async () =>
            {
                try
                {
                    while (true)
                    {
                        var change = await reader.NextAsync(stopPump.Token).ConfigureAwait(false);
                        await buffer.Writer.WriteAsync(change, stopPump.Token).ConfigureAwait(false);
                    }
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
                finally
                {
                    buffer.Writer.TryComplete();
                }
            },
            CancellationToken.None);
        try
        {
            var automatic = subscription.Acknowledgement == ChangeAcknowledgement.OnNextRead;
            while (true)
            {
                if (!buffer.Reader.TryRead(out var change))
                {
                    if (!await buffer.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false))
                    {
                        linked.Token.ThrowIfCancellationRequested();
                        ExceptionDispatchInfo.Throw(failure ?? new InvalidOperationException("The change feed's reader stopped."));
                    }

                    continue;
                }

                yield return change;
                if (automatic)
                {
                    change.Acknowledge();
                }
            }
        }
        finally
        {
            await stopPump.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await reader.DisposeAsync().ConfigureAwait(false);
            subscription.Detach(state);
        }
    }

    internal sealed record SlotRow(string? Database, string? Plugin, string SlotType, NpgsqlLogSequenceNumber? ConfirmedFlushLsn, int? ActivePid, bool InThisDatabase);
}
