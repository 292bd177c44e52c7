using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>Log messages of legacy adoption (event ids 1150–1169, within the migrator's 1100–1199).</summary>
internal static partial class AdoptionLog
{
    [LoggerMessage(1150, LogLevel.Information, "Adopting the EX-AI database: {Tables} legacy table(s) with {Rows} row(s) to consolidate.")]
    public static partial void Adopting(ILogger logger, int tables, long rows);

    [LoggerMessage(1151, LogLevel.Information, "Moved {Tables} legacy table(s) and {Views} view(s) into schema {Schema}, untouched.")]
    public static partial void MovedToBackup(ILogger logger, int tables, int views, string schema);

    [LoggerMessage(1152, LogLevel.Information, "Copied {Rows} row(s) into {Table} from {Sources}; counts verified.")]
    public static partial void Copied(ILogger logger, long rows, string table, string sources);

    [LoggerMessage(1153, LogLevel.Information, "Adoption complete; the replaced legacy tables are kept in schema {Schema}.")]
    public static partial void Complete(ILogger logger, string schema);

    [LoggerMessage(1154, LogLevel.Information, "No adoption to do: {State}.")]
    public static partial void NothingToDo(ILogger logger, AdoptionState state);

    [LoggerMessage(1155, LogLevel.Warning, "Adoption is blocked: {Reasons}")]
    public static partial void Blocked(ILogger logger, string reasons);

    [LoggerMessage(1156, LogLevel.Information, "Renamed index {Index} of kept table {Table} to {NewName}: the new schema uses its name.")]
    public static partial void IndexRenamed(ILogger logger, string index, string table, string newName);

    [LoggerMessage(1157, LogLevel.Warning, "Dropped the backup schema {Schema} of the legacy tables.")]
    public static partial void BackupDropped(ILogger logger, string schema);

    [LoggerMessage(1158, LogLevel.Information, "Rehearsed the adoption in a rolled-back transaction: {Rows} row(s) would be copied, {Findings} finding(s).")]
    public static partial void Rehearsed(ILogger logger, long rows, int findings);

    [LoggerMessage(1159, LogLevel.Debug, "{Table} was copied by an earlier run; skipped.")]
    public static partial void AlreadyCopied(ILogger logger, string table);
}
