using Exai.Supabase.Migrations;
using Exai.Supabase.Migrations.Adoption;
using Exai.Supabase.Migrations.Adoption.Internal;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Exai.Supabase.Tests.Migrations.Adoption;

/// <summary>Adoption around its edges: databases with nothing to adopt, interrupted runs, options, refusals.</summary>
public sealed class AdoptionEdgeTests
{
    [Test]
    public async Task Adopting_a_database_that_never_was_legacy_applies_the_migrations_and_makes_no_backup()
    {
        await using var db = await LegacyDatabase.CreateAsync("exai_adopt_empty", fixture: null);

        var plan = await db.Migrator.PlanAdoptionAsync();
        var report = await db.Migrator.AdoptLegacyAsync();

        plan.State.Should().Be(AdoptionState.NotLegacy);
        plan.Moves.Should().BeEmpty();
        report.AppliedMigrations.Should().Equal(ExaiMigrator.AllMigrations);
        report.Copied.Should().BeEmpty();
        (await db.ScalarAsync<bool>("SELECT to_regnamespace('exai_legacy') IS NULL")).Should().BeTrue();
        (await Catalog.TablesAsync(db.DataSource)).Should().Contain(TableNames.All);
    }

    [Test]
    public async Task A_database_already_consolidated_is_left_alone()
    {
        await using var db = await LegacyDatabase.CreateAsync("exai_adopt_current", fixture: null);
        await db.Migrator.MigrateAsync();
        await db.ExecuteAsync("INSERT INTO conversations (continuation_id, title) VALUES ('app-thread-1', 'written by the library')");
        var before = await db.CatalogSnapshotAsync();

        var report = await db.Migrator.AdoptLegacyAsync();

        report.Plan.State.Should().Be(AdoptionState.NotLegacy);
        report.Changed.Should().BeFalse();
        (await db.CatalogSnapshotAsync()).Should().Equal(before);
    }

    [Test]
    public async Task A_plain_migrate_refuses_a_database_holding_only_exai_issue_tables()
    {
        await using var db = await LegacyDatabase.CreateAsync("exai_adopt_issues_only", fixture: null);
        await db.ExecuteAsync("CREATE TABLE exai_issues (id uuid PRIMARY KEY, title text); INSERT INTO exai_issues VALUES (gen_random_uuid(), 'legacy')");
        var before = await db.CatalogSnapshotAsync();

        var migrate = () => db.Migrator.MigrateAsync();

        (await migrate.Should().ThrowAsync<ExaiSchemaConflictException>()).Which.Tables.Should().Equal("exai_issues");
        (await db.CatalogSnapshotAsync()).Should().Equal(before);
        var report = await db.Migrator.AdoptLegacyAsync();
        report.Copied.Should().ContainSingle(m => m.Source == "exai_issues" && m.Target == "issues" && m.TargetRows == 1);
    }

    [Test]
    public async Task An_interrupted_adoption_resumes_where_it_stopped_and_copies_nothing_twice()
    {
        await using var db = await LegacyDatabase.CreateAsync("exai_adopt_resume", "legacy_nov2025.sql");
        var legacyMessages = await db.ScalarAsync<long>("SELECT count(*) FROM public.messages");

        // A run that stopped after moving the tables, applying the migrations and copying two tables.
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            var facts = await AdoptionInspector.InspectAsync(connection, null, ExaiMigrator.SchemaObjectNames(), CancellationToken.None);
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await BackupStep.RunAsync(connection, transaction, facts, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
                await transaction.CommitAsync();
            }

            await db.Migrator.MigrateAsync();
            var moved = (await AdoptionInspector.InspectAsync(connection, null, ExaiMigrator.SchemaObjectNames(), CancellationToken.None)).Legacy;
            foreach (var target in new[] { TableNames.Sessions, TableNames.Conversations })
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await CopyStep.RunAsync(connection, transaction, Consolidation.Build(target, moved)!, CancellationToken.None);
                await transaction.CommitAsync();
            }
        }

        var plan = await db.Migrator.PlanAdoptionAsync();
        var report = await db.Migrator.AdoptLegacyAsync();

        plan.State.Should().Be(AdoptionState.Resumable);
        plan.Moves.Should().NotContain(m => m.Target == TableNames.Sessions || m.Source == TableNames.Conversations, "those were copied before");
        report.Copied.Should().NotContain(m => m.Target == TableNames.Sessions || m.Source == TableNames.Conversations);
        (await db.ScalarAsync<long>("SELECT count(*) FROM public.messages WHERE source_table = 'messages'")).Should().Be(legacyMessages);
        (await db.ScalarAsync<long>("SELECT count(*) FROM public.conversations WHERE source_table = 'conversations'")).Should().Be(3);
        (await db.ScalarAsync<long>("SELECT count(*) FROM exai_legacy.adoption_journal WHERE step = 'copied'")).Should().Be(10);
        (await db.Migrator.AdoptLegacyAsync()).Changed.Should().BeFalse();
    }

    [Test]
    public async Task A_copy_whose_counts_disagree_is_rolled_back_and_not_journaled()
    {
        await using var db = await LegacyDatabase.CreateAsync("exai_adopt_verify", "legacy_oct2025.sql");
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var facts = await AdoptionInspector.InspectAsync(connection, null, ExaiMigrator.SchemaObjectNames(), CancellationToken.None);
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await BackupStep.RunAsync(connection, transaction, facts, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await db.Migrator.MigrateAsync();
        var moved = (await AdoptionInspector.InspectAsync(connection, null, ExaiMigrator.SchemaObjectNames(), CancellationToken.None)).Legacy;
        var group = Consolidation.Build(TableNames.Sessions, moved)!;
        group.Checks.Add(new CopyCheck("sessions", "SELECT 3", "SELECT count(*) FROM public.sessions"));

        var copy = async () =>
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await CopyStep.RunAsync(connection, transaction, group, CancellationToken.None);
            await transaction.CommitAsync();
        };

        (await copy.Should().ThrowAsync<ExaiAdoptionException>()).Which.Message.Should().Contain("rolled back");
        (await db.ScalarAsync<long>("SELECT count(*) FROM public.sessions")).Should().Be(0);
        (await db.ScalarAsync<long>("SELECT count(*) FROM exai_legacy.adoption_journal WHERE step = 'copied'")).Should().Be(0);
    }

    [Test]
    public async Task Dropping_the_backup_is_explicit_and_keeps_every_consolidated_row()
    {
        await using var db = await LegacyDatabase.CreateAsync("exai_adopt_drop", "legacy_oct2025.sql");

        var kept = await db.Migrator.AdoptLegacyAsync();
        (await db.ScalarAsync<bool>("SELECT to_regnamespace('exai_legacy') IS NOT NULL")).Should().BeTrue("the backup is kept by default");
        var counts = await db.RowCountsAsync();
        var dropped = await db.Migrator.AdoptLegacyAsync(new AdoptionOptions { DropBackup = true });

        kept.BackupDropped.Should().BeFalse();
        dropped.BackupDropped.Should().BeTrue();
        (await db.ScalarAsync<bool>("SELECT to_regnamespace('exai_legacy') IS NULL")).Should().BeTrue();
        var after = await db.RowCountsAsync();
        after.Should().Equal(counts.Where(c => !c.Key.StartsWith("exai_legacy.", StringComparison.Ordinal)).ToDictionary());
        (await db.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.exai_session_notes'::regclass AND contype = 'f'"))
            .Should().Be(0, "a kept table's foreign key into the backup goes with it");
    }

    [Test]
    public async Task A_table_with_a_fixed_name_and_nothing_to_consolidate_into_blocks_adoption_without_changing_anything()
    {
        await using var db = await LegacyDatabase.CreateAsync("exai_adopt_blocked", "legacy_nov2025.sql");
        await db.ExecuteAsync("CREATE TABLE system_prompts (id serial PRIMARY KEY, tool_name text, prompt text); INSERT INTO system_prompts (tool_name, prompt) VALUES ('chat', 'hi')");
        var before = await db.CatalogSnapshotAsync();

        var plan = await db.Migrator.PlanAdoptionAsync();
        var adopt = () => db.Migrator.AdoptLegacyAsync();

        plan.State.Should().Be(AdoptionState.Blocked);
        plan.Tables.Should().Contain(t => t.Name == "system_prompts" && t.Disposition == AdoptionDisposition.Unsupported);
        plan.Blockers.Should().ContainSingle().Which.Should().Contain("public.system_prompts");
        (await adopt.Should().ThrowAsync<ExaiAdoptionException>()).Which.Message.Should().Contain("nothing was changed");
        (await db.CatalogSnapshotAsync()).Should().Equal(before);
    }

    [Test]
    public async Task Continuation_ids_repeated_in_a_hand_made_table_keep_every_thread()
    {
        await using var db = await LegacyDatabase.CreateAsync("exai_adopt_repeats", fixture: null);
        await db.ExecuteAsync("""
            CREATE TABLE conversations (id uuid PRIMARY KEY, continuation_id text, created_at timestamptz);
            CREATE TABLE messages (id uuid PRIMARY KEY, conversation_id text, role text, content text, created_at timestamptz);
            INSERT INTO conversations VALUES ('0e000000-0000-4000-8000-000000000001', 'same', '2025-10-01Z'), ('0e000000-0000-4000-8000-000000000002', 'same', '2025-10-02Z');
            INSERT INTO messages VALUES ('0e100000-0000-4000-8000-000000000001', 'same', 'user', 'to the first', '2025-10-01Z'),
                                        ('0e100000-0000-4000-8000-000000000002', '0e000000-0000-4000-8000-000000000002', 'user', 'to the second', '2025-10-02Z');
            """);

        await db.Migrator.AdoptLegacyAsync();

        var threads = await db.ListAsync("SELECT id::text, continuation_id, coalesce(metadata #>> '{adoption,renamed_continuation_id}', '') FROM conversations ORDER BY id",
            r => (r.GetString(0), r.GetString(1), r.GetString(2)));
        threads.Should().Equal(
            ("0e000000-0000-4000-8000-000000000001", "same", ""),
            ("0e000000-0000-4000-8000-000000000002", "same#exai-legacy:0e000000-0000-4000-8000-000000000002", "same"));
        (await db.ListAsync("SELECT conversation_id::text FROM messages ORDER BY id", r => r.GetString(0)))
            .Should().Equal("0e000000-0000-4000-8000-000000000001", "0e000000-0000-4000-8000-000000000002");
    }

    [Test]
    public async Task The_start_up_migrator_adopts_only_when_its_option_enables_it()
    {
        await using var db = await LegacyDatabase.CreateAsync("exai_adopt_host", "legacy_nov2025.sql");

        using (var refusing = TestHosts.Build(db.ConnectionString, b => b.AddMigrations(o => o.FailFast = true)))
        {
            var start = () => refusing.StartAsync();
            await start.Should().ThrowAsync<ExaiSchemaConflictException>();
        }

        (await db.ScalarAsync<bool>("SELECT to_regnamespace('exai_legacy') IS NULL")).Should().BeTrue("the default refuses and changes nothing");

        using var adopting = TestHosts.Build(db.ConnectionString, b => b.AddMigrations(o =>
        {
            o.FailFast = true;
            o.AdoptLegacy = true;
        }));
        await adopting.StartAsync();
        adopting.Services.GetRequiredService<SchemaReadiness>().IsReady.Should().BeTrue();
        (await db.ScalarAsync<long>("SELECT count(*) FROM public.messages WHERE source_table = 'messages'")).Should().Be(8);
        (await db.ScalarAsync<long>("SELECT count(*) FROM exai_legacy.adoption_journal WHERE step = 'complete'")).Should().Be(1);
        await adopting.StopAsync();
    }

    [Test]
    public async Task The_vocabulary_is_normalised_the_same_way_in_csharp_and_in_sql()
    {
        await using var db = await LegacyDatabase.CreateAsync("exai_adopt_vocab", fixture: null);
        string[] values = ["Critical", "CRITICAL", " P0 ", "Root Cause Identified", "Won't Fix", "WONT-FIX", "fix_in-progress", "Verified ✅", "Élevé", "", "--"];

        foreach (var value in values)
        {
            var sql = await db.ScalarAsync<string>($"SELECT {Exai.Supabase.Issues.Internal.LegacyVocabulary.NormalizeSql("@v")}", ("v", value));
            sql.Should().Be(Exai.Supabase.Issues.Internal.LegacyVocabulary.Normalize(value), $"'{value}' normalises alike");
        }
    }
}
