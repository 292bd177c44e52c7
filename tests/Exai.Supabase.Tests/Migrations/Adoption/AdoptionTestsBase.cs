using System.Text.Json;
using Exai.Supabase.Migrations;
using Exai.Supabase.Migrations.Adoption;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Tests.Infrastructure;
using Npgsql;

namespace Exai.Supabase.Tests.Migrations.Adoption;

/// <summary>
/// One legacy fixture adopted once per fixture class: the checks every shape must pass (nothing lost, the dry run
/// changes nothing, the backup is untouched, a second run is a no-op, the schema is the one a fresh migration
/// makes). Derived classes add the awkward cases of their shape.
/// </summary>
public abstract class AdoptionTestsBase
{
    /// <summary>Legacy table → consolidated table, as adoption maps them.</summary>
    protected static readonly IReadOnlyDictionary<string, string> Targets = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["sessions"] = "sessions",
        ["conversations"] = "conversations",
        ["messages"] = "messages",
        ["files"] = "files",
        ["conversation_files"] = "conversation_files",
        ["provider_file_uploads"] = "provider_file_uploads",
        ["file_metadata"] = "provider_file_uploads",
        ["file_deletion_jobs"] = "file_deletion_jobs",
        ["exai_issues"] = "issues",
        ["exai_issues_tracker"] = "issues",
        ["issues"] = "issues",
        ["phase1_issues"] = "issues",
        ["exai_issue_updates"] = "issue_updates",
        ["exai_issue_checklist"] = "issue_checklist_items",
    };

    private readonly string _fixture;
    private readonly IReadOnlyList<string> _views;
    private readonly IReadOnlyList<string> _keptTables;

    protected AdoptionTestsBase(string fixture, IReadOnlyList<string> views, IReadOnlyList<string> keptTables)
    {
        _fixture = fixture;
        _views = views;
        _keptTables = keptTables;
    }

    private protected LegacyDatabase Db { get; private set; } = null!;

    /// <summary>Every row of every table of <c>public</c> before adoption.</summary>
    protected Dictionary<string, List<JsonElement>> LegacyRows { get; private set; } = null!;

    protected Dictionary<string, List<string>> LegacyKeys { get; } = new(StringComparer.Ordinal);

    protected Dictionary<string, List<string>> ViewRowsBefore { get; } = new(StringComparer.Ordinal);

    protected Exception? PlainMigrateError { get; private set; }

    protected List<string> CatalogBefore { get; private set; } = null!;

    protected List<string> CatalogAfterRefusal { get; private set; } = null!;

    protected List<string> CatalogAfterDryRun { get; private set; } = null!;

    protected AdoptionPlan Plan { get; private set; } = null!;

    protected AdoptionReport Report { get; private set; } = null!;

    protected AdoptionReport SecondReport { get; private set; } = null!;

    protected Dictionary<string, long> CountsAfterFirstRun { get; private set; } = null!;

    protected Dictionary<string, long> CountsAfterSecondRun { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task AdoptAsync()
    {
        Db = await LegacyDatabase.CreateAsync("exai_adopt", _fixture);
        LegacyRows = await Db.RowsAsync("public");
        foreach (var table in Targets.Keys)
        {
            LegacyKeys[table] = await Db.KeyColumnsAsync("public", table);
        }

        foreach (var view in _views)
        {
            ViewRowsBefore[view] = await Db.ListAsync($"SELECT to_jsonb(v)::text FROM public.\"{view}\" v ORDER BY 1", r => r.GetString(0));
        }

        CatalogBefore = await Db.CatalogSnapshotAsync();
        try
        {
            await Db.Migrator.MigrateAsync();
        }
        catch (Exception ex)
        {
            PlainMigrateError = ex;
        }

        CatalogAfterRefusal = await Db.CatalogSnapshotAsync();
        Plan = await Db.Migrator.PlanAdoptionAsync();
        CatalogAfterDryRun = await Db.CatalogSnapshotAsync();
        Report = await Db.Migrator.AdoptLegacyAsync();
        CountsAfterFirstRun = await Db.RowCountsAsync();
        SecondReport = await Db.Migrator.AdoptLegacyAsync();
        CountsAfterSecondRun = await Db.RowCountsAsync();
    }

    [OneTimeTearDown]
    public async Task DropAsync()
    {
        if (Db is not null)
        {
            await Db.DisposeAsync();
        }
    }

    [Test]
    public void A_plain_migrate_refuses_the_legacy_database_points_to_adoption_and_changes_nothing()
    {
        PlainMigrateError.Should().BeOfType<ExaiSchemaConflictException>()
            .Which.Message.Should().Contain("--adopt-legacy").And.Contain("exai_issues");
        CatalogAfterRefusal.Should().Equal(CatalogBefore);
    }

    [Test]
    public void The_dry_run_finds_the_legacy_tables_and_leaves_the_catalog_unchanged()
    {
        Plan.State.Should().Be(AdoptionState.Legacy);
        Plan.Blockers.Should().BeEmpty();
        Plan.Tables.Where(t => t.Disposition == AdoptionDisposition.Consolidated).Select(t => t.Name)
            .Should().BeEquivalentTo(Targets.Keys);
        Plan.Tables.Where(t => t.Disposition == AdoptionDisposition.Kept).Select(t => t.Name).Should().BeEquivalentTo(_keptTables);
        Plan.Tables.Single(t => t.Name == "messages").Rows.Should().Be(LegacyRows["messages"].Count);
        Plan.PendingMigrations.Should().Equal(ExaiMigrator.AllMigrations);
        Plan.Describe().Should().Contain("What moves where").And.Contain("exai_legacy");
        CatalogAfterDryRun.Should().Equal(CatalogBefore, "a dry run rehearses in a transaction it rolls back");
    }

    [Test]
    public void The_dry_run_predicts_exactly_the_rows_the_adoption_copies()
    {
        Report.Copied.Should().NotBeEmpty();
        Report.Copied.Select(m => (m.Source, m.Target, m.TargetRows))
            .Should().BeEquivalentTo(Plan.Moves.Select(m => (m.Source, m.Target, m.TargetRows)));
        Report.Findings.Select(f => (f.Kind, f.Table, f.SourceTable, f.SourceId))
            .Should().BeEquivalentTo(Plan.Findings.Select(f => (f.Kind, f.Table, f.SourceTable, f.SourceId)));
        Report.AppliedMigrations.Should().Equal(ExaiMigrator.AllMigrations);
    }

    [Test]
    public async Task Every_legacy_row_has_a_consolidated_row_naming_its_source_table_and_original_id()
    {
        foreach (var (table, target) in Targets)
        {
            var adopted = await Db.AdoptedRowsAsync(target, table);

            // A link that names the same thread and file as another once resolved is kept on that link (the pair is unique).
            var merged = adopted.SelectMany(r => r.Path("metadata", "adoption", "merged_links") is { } links ? links.EnumerateArray().ToList() : []).ToList();
            var sourceIds = adopted.Concat(merged).Select(r => r.Text("source_id")!).ToList();
            if (LegacyKeys[table].Count == 0)
            {
                // Rows of a table without a key are told apart by their content: one consolidated row (or merged link) each.
                sourceIds.Should().HaveCount(LegacyRows[table].Count, $"each {table} row gives one {target} row");
                sourceIds.Should().OnlyHaveUniqueItems();
                continue;
            }

            foreach (var row in LegacyRows[table])
            {
                var key = JsonValues.KeyText(row, LegacyKeys[table]);
                sourceIds.Should().Contain(id => id == key || id.StartsWith(key + ":", StringComparison.Ordinal),
                    $"{table} row {key} must be represented in {target}");
            }

            if (table != "file_metadata")
            {
                sourceIds.Should().HaveCount(LegacyRows[table].Count, $"each {table} row gives one {target} row");
            }
        }
    }

    [Test]
    public async Task Every_legacy_value_is_found_in_the_consolidated_rows_of_its_row()
    {
        var missing = new List<string>();
        foreach (var (table, target) in Targets)
        {
            var adopted = await Db.AdoptedRowsAsync(target, table);
            foreach (var row in LegacyRows[table])
            {
                var key = LegacyKeys[table].Count == 0 ? null : JsonValues.KeyText(row, LegacyKeys[table]);
                var values = adopted
                    .Where(r => key is null || (r.Text("source_id") is { } id && (id == key || id.StartsWith(key + ":", StringComparison.Ordinal))))
                    .SelectMany(JsonValues.Leaves)
                    .ToHashSet(StringComparer.Ordinal);
                foreach (var property in row.EnumerateObject())
                {
                    missing.AddRange(JsonValues.Leaves(property.Value)
                        .Where(v => !values.Contains(v))
                        .Select(v => $"{table} {key} {property.Name} = {v}"));
                }
            }
        }

        missing.Should().BeEmpty();
    }

    [Test]
    public async Task The_replaced_tables_are_kept_untouched_in_the_backup_schema()
    {
        var backup = await Db.RowsAsync("exai_legacy");
        backup.Keys.Should().BeEquivalentTo(Targets.Keys.Append("adoption_journal"));
        foreach (var table in Targets.Keys)
        {
            backup[table].Select(r => r.GetRawText()).Should().BeEquivalentTo(LegacyRows[table].Select(r => r.GetRawText()), $"{table} must be untouched");
        }

        (await Db.ScalarAsync<long>("SELECT count(*) FROM exai_legacy.adoption_journal WHERE step = 'complete'")).Should().Be(1);
    }

    [Test]
    public async Task Tables_outside_the_consolidation_stay_where_they_are_untouched()
    {
        var now = await Db.RowsAsync("public");
        foreach (var table in _keptTables)
        {
            now.Should().ContainKey(table);
            now[table].Select(r => r.GetRawText()).Should().BeEquivalentTo(LegacyRows[table].Select(r => r.GetRawText()), $"{table} must be untouched");
        }
    }

    [Test]
    public async Task Views_over_the_replaced_tables_move_with_them_and_still_answer()
    {
        foreach (var view in _views)
        {
            (await Db.ScalarAsync<bool>("SELECT to_regclass(@v) IS NULL", ("v", $"public.{view}"))).Should().BeTrue();
            var rows = await Db.ListAsync($"SELECT to_jsonb(v)::text FROM exai_legacy.\"{view}\" v ORDER BY 1", r => r.GetString(0));
            rows.Should().Equal(ViewRowsBefore[view]);
        }
    }

    [Test]
    public void A_second_run_changes_nothing()
    {
        SecondReport.Plan.State.Should().Be(AdoptionState.Adopted);
        SecondReport.Changed.Should().BeFalse();
        SecondReport.Copied.Should().BeEmpty();
        CountsAfterSecondRun.Should().Equal(CountsAfterFirstRun);
    }

    [Test]
    public async Task The_consolidated_schema_is_the_one_a_fresh_migration_creates()
    {
        await using var fresh = await MigratedDatabase.CreateAsync("exai_adopt_fresh");
        var ours = TableNames.All.Append(TableNames.MigrationsHistory).ToHashSet(StringComparer.Ordinal);
        (await Catalog.TablesAsync(Db.DataSource)).Where(ours.Contains).Should().BeEquivalentTo(await Catalog.TablesAsync(fresh.DataSource));
        (await Catalog.IndexesAsync(Db.DataSource)).Where(i => ours.Contains(i.Table))
            .Should().BeEquivalentTo(await Catalog.IndexesAsync(fresh.DataSource));
        (await Catalog.ForeignKeysAsync(Db.DataSource)).Where(f => ours.Contains(f.Table))
            .Should().BeEquivalentTo(await Catalog.ForeignKeysAsync(fresh.DataSource));
        (await Catalog.ChecksAsync(Db.DataSource)).Where(c => ours.Contains(c.Table))
            .Should().BeEquivalentTo(await Catalog.ChecksAsync(fresh.DataSource));
        (await Catalog.PoliciesAsync(Db.DataSource)).Where(p => ours.Contains(p.Table))
            .Should().BeEquivalentTo(await Catalog.PoliciesAsync(fresh.DataSource));
        (await Catalog.PublicationTablesAsync(Db.DataSource)).Should().BeEquivalentTo(await Catalog.PublicationTablesAsync(fresh.DataSource));
    }

    [Test]
    public async Task Timestamps_stay_as_stored()
    {
        foreach (var (table, target) in new[] { ("messages", "messages"), ("conversations", "conversations"), ("files", "files") })
        {
            if (LegacyKeys[table].Count == 0)
            {
                continue;
            }

            var adopted = (await Db.AdoptedRowsAsync(target, table)).ToDictionary(r => r.Text("source_id")!);
            foreach (var row in LegacyRows[table])
            {
                adopted[JsonValues.KeyText(row, LegacyKeys[table])].Time("created_at").Should().Be(row.Time("created_at"));
            }
        }
    }

    [Test]
    public async Task Every_issue_value_is_in_the_trackers_vocabulary_and_every_original_is_kept()
    {
        var issues = await Db.ListAsync("SELECT severity, priority, status, metadata::text FROM public.issues", r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)));
        issues.Should().NotBeEmpty();
        foreach (var (severity, priority, status, _) in issues)
        {
            severity.Should().BeOneOf("critical", "high", "medium", "low");
            priority.Should().BeOneOf("p0", "p1", "p2", "p3");
            status.Should().BeOneOf("open", "in_progress", "fixed", "verified", "closed", "wont_fix");
        }

        foreach (var table in new[] { "exai_issues", "exai_issues_tracker", "issues", "phase1_issues" }.Where(t => LegacyKeys[t].Count > 0))
        {
            var adopted = (await Db.AdoptedRowsAsync("issues", table)).ToDictionary(r => r.Text("source_id")!);
            foreach (var row in LegacyRows[table])
            {
                var consolidated = adopted[JsonValues.KeyText(row, LegacyKeys[table])];
                foreach (var field in new[] { "severity", "priority", "status" })
                {
                    if (row.Text(field) is { } original && original != consolidated.Text(field))
                    {
                        consolidated.Path("metadata", "legacy", field)!.Value.GetString().Should().Be(original);
                    }
                }
            }
        }
    }

    protected async Task<JsonElement> AdoptedAsync(string target, string sourceTable, string sourceId) =>
        (await Db.AdoptedRowsAsync(target, sourceTable)).Single(r => r.Text("source_id") == sourceId);

    protected Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters) =>
        Db.ListAsync(sql, read, parameters);
}
