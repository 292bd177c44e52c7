namespace Exai.Supabase.Migrations;

/// <summary>How the start-up migrator behaves. Bound from configuration section <c>Exai:Migrations</c>.</summary>
public sealed class ExaiMigrationOptions
{
    /// <summary>The configuration section bound by default.</summary>
    public const string SectionName = "Exai:Migrations";

    /// <summary>Whether pending migrations are applied when the host starts.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ApplyAtStartup { get; set; } = true;

    /// <summary>
    /// Whether host start-up fails when the migrations cannot be applied. When <see langword="false"/>, a host whose
    /// database is unreachable still starts, works degraded (writes are held and spilled, prompts come from cache and
    /// defaults) and migrates as soon as the database answers.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool FailFast { get; set; }

    /// <summary>How long start-up waits for the first attempt before going on degraded (ignored with <see cref="FailFast"/>).</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan StartupAttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The first wait between attempts while the database is unreachable; it doubles up to <see cref="MaxRetryInterval"/>.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether an existing EX-AI-MCP-Server database found in place is adopted and consolidated before migrating
    /// (<see cref="ExaiMigrator.AdoptLegacyAsync(Adoption.AdoptionOptions?, CancellationToken)"/>): its legacy tables
    /// are kept untouched in schema <c>exai_legacy</c> and every row is copied into the consolidated tables. Off by
    /// default: without it, start-up refuses a database whose tables the library did not create.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AdoptLegacy { get; set; }

    /// <summary>
    /// With <see cref="AdoptLegacy"/>, whether the backup schema of the legacy tables is dropped once adoption has
    /// copied and verified everything. Keep it until the consolidated data has been checked: there is no way back
    /// without it.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DropLegacyBackup { get; set; }
}
