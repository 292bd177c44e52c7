namespace Exai.Supabase.Migrations.Adoption;

/// <summary>Choices for <see cref="ExaiMigrator.AdoptLegacyAsync(AdoptionOptions?, CancellationToken)"/>.</summary>
public sealed class AdoptionOptions
{
    /// <summary>
    /// Whether the backup schema (the untouched legacy tables, the views over them and the adoption journal) is
    /// dropped once every table is copied and verified. Foreign keys of kept tables that point into it are dropped
    /// with it. Without a backup there is no way back: keep it until the consolidated data has been checked.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DropBackup { get; set; }
}
