using Exai.Supabase.Migrations;
using Exai.Supabase.Tests.Infrastructure;
using Npgsql;

namespace Exai.Supabase.Tests.Migrations;

/// <summary>
/// A plain migrate on a database whose schema public already holds same-named tables the library did not create
/// (an EX-AI-MCP-Server database, say) refuses, names them, points to adoption and applies nothing.
/// </summary>
public sealed class ForeignTablesTests
{
    /// <summary>The shape of EX-AI-MCP-Server's conversation tables, made by hand, with a row each.</summary>
    internal const string ExaiConversations = """
        CREATE TABLE public.conversations (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            continuation_id text UNIQUE NOT NULL,
            title text,
            metadata jsonb DEFAULT '{}',
            session_id text,
            created_at timestamptz DEFAULT now(),
            updated_at timestamptz DEFAULT now()
        );
        CREATE TABLE public.messages (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            conversation_id uuid REFERENCES public.conversations (id) ON DELETE CASCADE,
            role text NOT NULL,
            content text NOT NULL,
            metadata jsonb DEFAULT '{}',
            created_at timestamptz DEFAULT now()
        );
        CREATE TABLE public.exai_issues (id bigserial PRIMARY KEY, title text NOT NULL);
        INSERT INTO public.conversations (continuation_id, title) VALUES ('8f0c2a52-legacy', 'Legacy thread');
        INSERT INTO public.messages (conversation_id, role, content) SELECT id, 'user', 'hello' FROM public.conversations;
        INSERT INTO public.exai_issues (title) VALUES ('Legacy issue');
        """;

    [Test]
    public async Task Migrate_refuses_an_EX_AI_database_naming_its_tables_and_pointing_to_adoption()
    {
        await using var database = await MigratedDatabase.CreateAsync("exai_foreign", migrate: false);
        await database.ExecuteAsync(ExaiConversations);
        var columnsBefore = await Catalog.ColumnsAsync(database.DataSource);

        var migrate = () => MigratedDatabase.MigrateAsync(database.ConnectionString);

        var refusal = (await migrate.Should().ThrowAsync<ExaiSchemaConflictException>()).Which;
        refusal.Tables.Should().Equal("conversations", "exai_issues", "messages");
        refusal.Message.Should().Contain("conversations").And.Contain("messages").And.Contain("exai_issues").And.Contain("--adopt-legacy");

        // Nothing of ours was applied: no history, no table, no policy, no security switched on, no auth, no publication.
        (await Catalog.TablesAsync(database.DataSource)).Should().BeEquivalentTo("conversations", "messages", "exai_issues");
        (await Catalog.ColumnsAsync(database.DataSource)).Should().BeEquivalentTo(columnsBefore);
        (await Catalog.PoliciesAsync(database.DataSource)).Should().BeEmpty();
        (await Catalog.RowLevelSecurityTablesAsync(database.DataSource)).Should().BeEmpty();
        (await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'auth'")).Should().Be(0);
        (await database.ScalarAsync<long>("SELECT count(*) FROM pg_publication")).Should().Be(0);
        (await database.ScalarAsync<long>("SELECT count(*) FROM messages")).Should().Be(1, "the legacy rows are untouched");
    }

    [Test]
    public async Task Migrate_refuses_a_lone_foreign_table_of_a_fixed_name()
    {
        await using var database = await MigratedDatabase.CreateAsync("exai_foreign_issues", migrate: false);
        await database.ExecuteAsync("CREATE TABLE public.issues (id bigserial PRIMARY KEY, title text, status text)");

        var migrate = () => MigratedDatabase.MigrateAsync(database.ConnectionString);

        (await migrate.Should().ThrowAsync<ExaiSchemaConflictException>()).Which.Tables.Should().Equal("issues");
        (await Catalog.TablesAsync(database.DataSource)).Should().Equal("issues");
    }

    [Test]
    public async Task Same_named_tables_outside_schema_public_do_not_stand_in_the_way()
    {
        await using var database = await MigratedDatabase.CreateAsync("exai_foreign_elsewhere", migrate: false);
        await database.ExecuteAsync("CREATE SCHEMA legacy; CREATE TABLE legacy.conversations (id bigserial PRIMARY KEY); CREATE TABLE legacy.messages (id bigserial PRIMARY KEY);");

        var applied = await MigratedDatabase.MigrateAsync(database.ConnectionString);

        applied.Should().Equal(ExaiMigrator.AllMigrations);
        (await Catalog.TablesAsync(database.DataSource, "legacy")).Should().Equal("conversations", "messages");
    }

    [Test]
    public async Task A_database_the_library_migrated_is_not_mistaken_for_a_foreign_one()
    {
        await using var database = await MigratedDatabase.CreateAsync("exai_foreign_own");

        var again = await MigratedDatabase.MigrateAsync(database.ConnectionString);

        again.Should().BeEmpty();
        await using var db = NpgsqlDataSource.Create(database.ConnectionString);
        await FixedSchema.AssertTablesAsync(db);
    }
}
