using System.Text.RegularExpressions;
using Exai.Supabase.Persistence.Internal;
using Npgsql;

namespace Exai.Supabase.Tests.Infrastructure;

/// <summary>
/// The rules of DESIGN.md ("Schema" and "Supabase and plain PostgreSQL alike"), written down once and checked from the
/// catalog: by the schema tests on a freshly migrated database and by the compatibility tests on a database prepared
/// as Supabase prepares one. Expected values are spelled out here rather than read from the library, so a change to
/// the library's constants cannot quietly change what is checked.
/// </summary>
internal static partial class FixedSchema
{
    public const string Anon = "anon";
    public const string Authenticated = "authenticated";
    public const string ServiceRole = "service_role";

    public static readonly string[] FixedTables =
    [
        "sessions", "conversations", "messages", "conversation_files", "files", "provider_file_uploads",
        "file_deletion_jobs", "issues", "issue_updates", "issue_checklist_items", "system_prompts", "prompt_versions",
        "prompt_performance",
    ];

    /// <summary>Every table the library creates: the fixed ones and the dead-letter table.</summary>
    public static readonly string[] LibraryTables = [.. FixedTables, "outbox_dead_letters"];

    /// <summary>Tables whose rows belong to one user, directly (<c>user_id</c>) or through their parents.</summary>
    public static readonly string[] UserOwnedTables =
        ["sessions", "conversations", "messages", "files", "conversation_files", "provider_file_uploads", "file_deletion_jobs"];

    /// <summary>Shared tables users may read and only the service side writes.</summary>
    public static readonly string[] ReadOnlyForUsers =
        ["system_prompts", "prompt_versions", "prompt_performance", "issues", "issue_updates", "issue_checklist_items"];

    public static readonly string[] RealtimeTables = ["conversations", "files", "issues", "messages", "provider_file_uploads", "system_prompts"];

    public static readonly string[] FullReplicaIdentity = ["conversations", "files", "issues", "provider_file_uploads", "system_prompts"];

    /// <summary>(table, column, referenced table, ON DELETE as pg_constraint.confdeltype: c cascade, n set null).</summary>
    public static readonly (string Table, string Column, string References, char OnDelete)[] ForeignKeys =
    [
        ("messages", "conversation_id", "conversations", 'c'),
        ("conversation_files", "conversation_id", "conversations", 'c'),
        ("conversation_files", "file_id", "files", 'c'),
        ("provider_file_uploads", "file_id", "files", 'n'),
        ("prompt_versions", "prompt_id", "system_prompts", 'c'),
        ("prompt_performance", "prompt_id", "system_prompts", 'n'),
        ("conversations", "session_id", "sessions", 'n'),
        ("issue_updates", "issue_id", "issues", 'c'),
        ("issue_checklist_items", "issue_id", "issues", 'c'),
    ];

    /// <summary>The indexes DESIGN.md names, by leading key columns (" DESC" where it asks for descending order).</summary>
    public static readonly (string Table, string[] Leading)[] Indexes =
    [
        ("conversations", ["session_id"]),
        ("conversations", ["continuation_id"]),
        ("messages", ["conversation_id"]),
        ("messages", ["created_at DESC"]),
        ("files", ["storage_path"]),
        ("provider_file_uploads", ["provider_file_id"]),
        ("system_prompts", ["tool_name", "provider", "is_active"]),
        ("prompt_performance", ["tool_name", "provider", "executed_at DESC"]),
    ];

    /// <summary>Per table, exactly the columns that are NOT NULL with no default and not generated: what a caller must give.</summary>
    public static readonly Dictionary<string, string[]> RequiredColumns = new()
    {
        ["sessions"] = [],
        ["conversations"] = ["continuation_id"],
        ["messages"] = ["conversation_id", "role"],
        ["conversation_files"] = ["conversation_id", "file_id"],
        ["files"] = ["storage_path"],
        ["provider_file_uploads"] = ["provider", "provider_file_id"],
        ["file_deletion_jobs"] = [],
        ["issues"] = ["title"],
        ["issue_updates"] = ["issue_id"],
        ["issue_checklist_items"] = ["issue_id", "position", "text"],
        ["system_prompts"] = ["tool_name", "provider", "tier", "prompt_content", "version"],
        ["prompt_versions"] = ["prompt_id", "tool_name", "provider", "version"],
        ["prompt_performance"] = ["tool_name", "provider"],
        // Written only by the library's drain, which always knows all of them; the id is the record's own.
        ["outbox_dead_letters"] = ["id", "kind", "payload", "reason", "recorded_at"],
    };

    /// <summary>The fixed columns of DESIGN.md with their PostgreSQL types.</summary>
    public static readonly (string Table, string Column, string Type)[] FixedColumns =
    [
        ("conversations", "continuation_id", "text"),
        ("conversations", "session_id", "uuid"),
        ("sessions", "user_id", "uuid"),
        ("conversations", "user_id", "uuid"),
        ("messages", "user_id", "uuid"),
        ("files", "user_id", "uuid"),
        ("messages", "conversation_id", "uuid"),
        ("conversation_files", "conversation_id", "uuid"),
        ("conversation_files", "file_id", "uuid"),
        ("provider_file_uploads", "file_id", "uuid"),
        ("provider_file_uploads", "provider_file_id", "text"),
        ("provider_file_uploads", "provider", "text"),
        ("files", "storage_path", "text"),
        ("system_prompts", "id", "uuid"),
        ("system_prompts", "tool_name", "text"),
        ("system_prompts", "provider", "text"),
        ("system_prompts", "tier", "integer"),
        ("system_prompts", "prompt_content", "text"),
        ("system_prompts", "version", "text"),
        ("system_prompts", "is_active", "boolean"),
        ("prompt_versions", "prompt_id", "uuid"),
        ("prompt_performance", "tool_name", "text"),
        ("prompt_performance", "provider", "text"),
        ("prompt_performance", "token_count", "integer"),
        ("prompt_performance", "success", "boolean"),
        ("prompt_performance", "error_message", "text"),
        ("prompt_performance", "executed_at", "timestamp with time zone"),
    ];

    private static readonly string[] ReadWrite = ["DELETE", "INSERT", "SELECT", "UPDATE"];

    /// <summary>Exactly the table privileges of <c>authenticated</c>; anything else (TRUNCATE, TRIGGER, …) is too much.</summary>
    public static readonly Dictionary<string, string[]> AuthenticatedPrivileges = new()
    {
        ["sessions"] = ReadWrite,
        ["conversations"] = ReadWrite,
        ["messages"] = ReadWrite,
        ["files"] = ReadWrite,
        ["conversation_files"] = ReadWrite,
        ["provider_file_uploads"] = ReadWrite,
        ["file_deletion_jobs"] = ["INSERT", "SELECT"],
        ["system_prompts"] = ["SELECT"],
        ["prompt_versions"] = ["SELECT"],
        ["prompt_performance"] = ["SELECT"],
        ["issues"] = ["SELECT"],
        ["issue_updates"] = ["SELECT"],
        ["issue_checklist_items"] = ["SELECT"],
        ["outbox_dead_letters"] = [],
        [TableNames.MigrationsHistory] = [],
    };

    /// <summary>Per table, the (command, role) pairs of its policies, exactly.</summary>
    public static readonly Dictionary<string, (string Command, string Role)[]> Policies = new()
    {
        ["sessions"] = OwnerPolicies(),
        ["conversations"] = OwnerPolicies(),
        ["messages"] = OwnerPolicies(),
        ["files"] = OwnerPolicies(),
        ["conversation_files"] = [("ALL", ServiceRole), ("ALL", Authenticated)],
        ["provider_file_uploads"] = [("ALL", ServiceRole), ("ALL", Authenticated)],
        ["file_deletion_jobs"] = [("ALL", ServiceRole), ("SELECT", Authenticated), ("INSERT", Authenticated)],
        ["system_prompts"] = [("ALL", ServiceRole), ("SELECT", Authenticated)],
        ["prompt_versions"] = [("ALL", ServiceRole), ("SELECT", Authenticated)],
        ["prompt_performance"] = [("ALL", ServiceRole), ("SELECT", Authenticated)],
        ["issues"] = [("ALL", ServiceRole), ("SELECT", Authenticated)],
        ["issue_updates"] = [("ALL", ServiceRole), ("SELECT", Authenticated)],
        ["issue_checklist_items"] = [("ALL", ServiceRole), ("SELECT", Authenticated)],
        ["outbox_dead_letters"] = [("ALL", ServiceRole)],
        [TableNames.MigrationsHistory] = [("SELECT", ServiceRole)],
    };

    /// <summary>Every rule at once, for a database migrated somewhere other than the schema tests' own.</summary>
    public static async Task AssertAllAsync(NpgsqlDataSource db)
    {
        await AssertTablesAsync(db);
        await AssertFixedColumnsAsync(db);
        await AssertRequiredColumnsAsync(db);
        await AssertForeignKeysAsync(db);
        await AssertIndexesAsync(db);
        await AssertPromptConstraintsAsync(db);
        await AssertRowLevelSecurityAsync(db);
        await AssertPoliciesAsync(db);
        await AssertPoliciesCallUidThroughSelectAsync(db);
        await AssertUserIdIndexesAsync(db);
        await AssertPrivilegesAsync(db);
        await AssertReplicaIdentityAsync(db);
        await AssertPublicationAsync(db);
    }

    public static async Task AssertTablesAsync(NpgsqlDataSource db) =>
        (await Catalog.TablesAsync(db)).Should().Contain(LibraryTables).And.Contain(TableNames.MigrationsHistory);

    public static async Task AssertFixedColumnsAsync(NpgsqlDataSource db)
    {
        var columns = (await Catalog.ColumnsAsync(db)).Where(c => LibraryTables.Contains(c.Table)).ToList();
        foreach (var (table, column, type) in FixedColumns)
        {
            columns.Should().ContainSingle(c => c.Table == table && c.Name == column, $"{table}.{column} is fixed by DESIGN.md")
                .Which.Type.Should().Be(type, $"{table}.{column} has a fixed type");
        }

        columns.Single(c => c.Table == "conversations" && c.Name == "continuation_id").NotNull.Should().BeTrue();
        columns.Single(c => c.Table == "system_prompts" && c.Name == "id").Default.Should().NotBeNull("system_prompts.id is defaulted");
        columns.Single(c => c.Table == "prompt_performance" && c.Name == "execution_time_ms").Type
            .Should().BeOneOf("integer", "bigint", "double precision", "numeric");

        // PostgreSQL-native types throughout: uuid keys, timestamptz times, jsonb documents, text strings.
        columns.Where(c => c.Name == "id").Should().OnlyContain(c => c.Type == "uuid");
        columns.Where(c => c.Name.EndsWith("_at", StringComparison.Ordinal)).Should().OnlyContain(c => c.Type == "timestamp with time zone");
        columns.Where(c => c.Name == "metadata").Should().OnlyContain(c => c.Type == "jsonb");
        columns.Should().NotContain(c => c.Type.StartsWith("character", StringComparison.Ordinal) || c.Type == "json"
            || c.Type.StartsWith("timestamp without", StringComparison.Ordinal));
    }

    public static async Task AssertRequiredColumnsAsync(NpgsqlDataSource db)
    {
        var required = (await Catalog.ColumnsAsync(db))
            .Where(c => LibraryTables.Contains(c.Table) && c.NotNull && c.Default is null && !c.Generated)
            .GroupBy(c => c.Table)
            .ToDictionary(g => g.Key, g => g.Select(c => c.Name).ToList());
        foreach (var table in LibraryTables)
        {
            required.GetValueOrDefault(table, []).Should().BeEquivalentTo(RequiredColumns[table],
                $"every NOT NULL column of {table} that a caller may omit needs a database default");
        }
    }

    public static async Task AssertForeignKeysAsync(NpgsqlDataSource db)
    {
        var keys = (await Catalog.ForeignKeysAsync(db)).Where(k => LibraryTables.Contains(k.Table)).ToList();
        keys.Select(k => (k.Table, k.Column, k.References, k.OnDelete)).Should().BeEquivalentTo(ForeignKeys);
    }

    public static async Task AssertIndexesAsync(NpgsqlDataSource db)
    {
        var indexes = await Catalog.IndexKeysAsync(db);
        foreach (var (table, leading) in Indexes)
        {
            indexes.Should().Contain(i => i.Table == table && i.Predicate == null && i.Keys.Take(leading.Length).SequenceEqual(leading),
                $"DESIGN.md asks for an index on {table}({string.Join(", ", leading)}) (by leading columns)");
        }

        indexes.Should().Contain(i => i.Table == "conversations" && i.Unique && i.Predicate == null && i.Keys.SequenceEqual(new[] { "continuation_id" }),
            "conversations.continuation_id is unique");
    }

    public static async Task AssertPromptConstraintsAsync(NpgsqlDataSource db)
    {
        var indexes = await Catalog.IndexKeysAsync(db);
        indexes.Should().Contain(i => i.Table == "system_prompts" && i.Unique && i.Predicate == null
            && i.Keys.SequenceEqual(new[] { "tool_name", "provider", "version" }), "versions are unique per tool and provider");
        indexes.Should().Contain(i => i.Table == "system_prompts" && i.Unique && i.Predicate == "is_active"
            && i.Keys.SequenceEqual(new[] { "tool_name", "provider" }), "at most one version per tool and provider is active");

        var checks = (await Catalog.ChecksAsync(db)).Where(c => c.Table == "system_prompts").Select(c => c.Definition).ToList();
        checks.Should().Contain(d => d.Contains("tier >= 0", StringComparison.Ordinal) && d.Contains("tier <= 3", StringComparison.Ordinal),
            "system_prompts.tier is checked to 0–3");
    }

    public static async Task AssertRowLevelSecurityAsync(NpgsqlDataSource db) =>
        (await Catalog.RowLevelSecurityTablesAsync(db)).Should().Contain(LibraryTables).And.Contain(TableNames.MigrationsHistory);

    public static async Task AssertPoliciesAsync(NpgsqlDataSource db)
    {
        var policies = await Catalog.PoliciesAsync(db);
        foreach (var (table, expected) in Policies)
        {
            policies.Where(p => p.Table == table).SelectMany(p => p.Roles.Select(r => (p.Command, Role: r)))
                .Should().BeEquivalentTo(expected, $"the policies of {table}");
        }

        policies.Should().NotContain(p => p.Roles.Contains(Anon) || p.Roles.Contains("public"), "anon sees nothing and no policy is for everyone");
    }

    public static async Task AssertPoliciesCallUidThroughSelectAsync(NpgsqlDataSource db)
    {
        var policies = (await Catalog.PoliciesAsync(db)).Where(p => p.Roles.Contains(Authenticated) && UserOwnedTables.Contains(p.Table)).ToList();
        policies.Should().NotBeEmpty();
        foreach (var policy in policies)
        {
            var text = $"{policy.Using} {policy.Check}";
            text.Should().Contain("( SELECT auth.uid() AS uid)", $"{policy.Name} scopes rows to the caller");
            text.Replace("( SELECT auth.uid() AS uid)", string.Empty, StringComparison.Ordinal).Should()
                .NotContain("auth.uid()", $"{policy.Name} calls auth.uid() once per statement, as (select auth.uid()), not once per row");
        }
    }

    /// <summary>Every table whose user_id a policy compares (its own, or a parent's through an alias) has an index leading with it.</summary>
    public static async Task AssertUserIdIndexesAsync(NpgsqlDataSource db)
    {
        var policies = await Catalog.PoliciesAsync(db);
        var tables = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            var text = $"{policy.Using} {policy.Check}";
            if (BareUserId().IsMatch(text))
            {
                tables.Add(policy.Table);
            }

            foreach (Match from in FromAlias().Matches(text))
            {
                if (text.Contains($"{from.Groups[2].Value}.user_id", StringComparison.Ordinal))
                {
                    tables.Add(from.Groups[1].Value);
                }
            }
        }

        tables.Should().Contain(["sessions", "conversations", "messages", "files", "file_deletion_jobs"]);
        var indexes = await Catalog.IndexKeysAsync(db);
        foreach (var table in tables)
        {
            indexes.Should().Contain(i => i.Table == table && i.Predicate == null && i.Keys[0] == "user_id",
                $"a policy compares {table}.user_id, so an index leads with it");
        }
    }

    public static async Task AssertPrivilegesAsync(NpgsqlDataSource db)
    {
        foreach (var table in LibraryTables.Append(TableNames.MigrationsHistory))
        {
            (await Catalog.GrantedPrivilegesAsync(db, table, Anon)).Should().BeEmpty($"anon has no privilege on {table}");
            (await Catalog.GrantedPrivilegesAsync(db, table, "PUBLIC")).Should().BeEmpty($"PUBLIC has no privilege on {table}");
            (await Catalog.GrantedPrivilegesAsync(db, table, Authenticated)).Should().BeEquivalentTo(AuthenticatedPrivileges[table],
                $"authenticated's privileges on {table}");
            (await Catalog.GrantedPrivilegesAsync(db, table, ServiceRole)).Should().BeEquivalentTo(
                table == TableNames.MigrationsHistory ? ["SELECT"] : ReadWrite, $"service_role's privileges on {table}");
        }
    }

    public static async Task AssertReplicaIdentityAsync(NpgsqlDataSource db)
    {
        var identities = await Catalog.ReplicaIdentitiesAsync(db);
        foreach (var table in LibraryTables)
        {
            identities[table].Should().Be(FullReplicaIdentity.Contains(table) ? 'f' : 'd', $"the replica identity of {table}");
        }
    }

    public static async Task AssertPublicationAsync(NpgsqlDataSource db)
    {
        var members = await Catalog.PublicationTablesAsync(db);
        if (await Catalog.PublicationIsForAllTablesAsync(db))
        {
            members.Should().Contain(RealtimeTables);
        }
        else
        {
            members.Should().Equal(RealtimeTables);
        }
    }

    private static (string, string)[] OwnerPolicies() =>
        [("ALL", ServiceRole), ("SELECT", Authenticated), ("INSERT", Authenticated), ("UPDATE", Authenticated), ("DELETE", Authenticated)];

    [GeneratedRegex(@"(?<![\w.])user_id\b")]
    private static partial Regex BareUserId();

    [GeneratedRegex(@"FROM (\w+) (\w+)")]
    private static partial Regex FromAlias();
}
