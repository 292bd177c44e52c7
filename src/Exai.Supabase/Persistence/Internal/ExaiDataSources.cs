using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Exai.Supabase.Persistence.Internal;

/// <summary>
/// The library's two <see cref="NpgsqlDataSource"/>s: the pooled one every query and the outbox use, and the
/// direct one for session features (migration lock, LISTEN/NOTIFY, replication). Built on first use, so a host starts
/// without touching the database.
/// </summary>
internal sealed class ExaiDataSources : IAsyncDisposable
{
    private readonly Lazy<NpgsqlDataSource> _pooled;
    private readonly Lazy<NpgsqlDataSource> _direct;

    public ExaiDataSources(IOptions<ExaiSupabaseOptions> options, ILoggerFactory? loggerFactory = null)
    {
        var value = options.Value;
        _pooled = new Lazy<NpgsqlDataSource>(() => Build(value.ConnectionString!, value.ApplicationName, loggerFactory));
        _direct = new Lazy<NpgsqlDataSource>(() =>
            string.Equals(value.EffectiveDirectConnectionString, value.ConnectionString, StringComparison.Ordinal)
                ? _pooled.Value
                : Build(value.EffectiveDirectConnectionString!, value.ApplicationName, loggerFactory));
    }

    /// <summary>For queries and batched writes; safe through a transaction pooler.</summary>
    public NpgsqlDataSource Pooled => _pooled.Value;

    /// <summary>For features that need a session: an advisory lock, LISTEN, replication.</summary>
    public NpgsqlDataSource Direct => _direct.Value;

    public static NpgsqlDataSource Build(string connectionString, string applicationName, ILoggerFactory? loggerFactory)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            builder.ConnectionStringBuilder.ApplicationName = applicationName;
        }

        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        return builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        if (_direct.IsValueCreated && !ReferenceEquals(_direct.Value, _pooled.Value))
        {
            await _direct.Value.DisposeAsync().ConfigureAwait(false);
        }

        if (_pooled.IsValueCreated)
        {
            await _pooled.Value.DisposeAsync().ConfigureAwait(false);
        }
    }
}
