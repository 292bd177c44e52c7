using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Migrations.Internal;

/// <summary>Log messages of the migrator (event ids 1100–1199).</summary>
internal static partial class MigrationsLog
{
    [LoggerMessage(1100, LogLevel.Information, "The Exai.Supabase schema is current.")]
    public static partial void SchemaCurrent(ILogger logger);

    [LoggerMessage(1101, LogLevel.Information, "Applying {Count} Exai.Supabase migration(s): {Migrations}.")]
    public static partial void Applying(ILogger logger, int count, string migrations);

    [LoggerMessage(1102, LogLevel.Information, "Applied {Count} Exai.Supabase migration(s).")]
    public static partial void Applied(ILogger logger, int count);

    [LoggerMessage(1103, LogLevel.Warning, "The database is not reachable yet ({Reason}); the host goes on degraded and migrates when it answers. Next attempt in {Delay}.")]
    public static partial void Unreachable(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(1104, LogLevel.Error, "Migrating failed ({Reason}); retrying in {Delay}.")]
    public static partial void Failed(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(1105, LogLevel.Information, "The database answered; the schema is current and queued writes may land.")]
    public static partial void Recovered(ILogger logger);

    [LoggerMessage(1106, LogLevel.Information, "Start-up migrations are disabled (ExaiMigrationOptions.ApplyAtStartup = false).")]
    public static partial void Disabled(ILogger logger);
}
