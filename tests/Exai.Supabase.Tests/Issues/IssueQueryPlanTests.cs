using Exai.Supabase.Issues.Internal;
using Exai.Supabase.Tests.Infrastructure;
using Npgsql;

namespace Exai.Supabase.Tests.Issues;

/// <summary>
/// The plans PostgreSQL picks for the tracker's queries on a table big enough for the choice to matter (50,000
/// issues, one conversation link each, statistics fresh): every one reads through an index, none scans a table.
/// </summary>
public sealed class IssueQueryPlanTests
{
    private const int Rows = 50_000;

    private MigratedDatabase _db = null!;
    private (DateTimeOffset CreatedAt, Guid Id) _middle;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        _db = await MigratedDatabase.CreateAsync("exai_issue_plans");
        await _db.ExecuteAsync($"""
            INSERT INTO issues (id, title, description, severity, priority, status, category, components, created_at, updated_at)
            SELECT gen_random_uuid(),
                   'Issue ' || g || CASE WHEN g % 997 = 0 THEN ' rate limit exceeded' ELSE ' routine work' END,
                   CASE WHEN g % 5 = 0 THEN 'calls hang until the timeout' END,
                   (ARRAY['critical', 'high', 'medium', 'low'])[1 + g % 4],
                   (ARRAY['p0', 'p1', 'p2', 'p3'])[1 + (g / 4) % 4],
                   (ARRAY['open', 'in_progress', 'fixed', 'verified', 'closed', 'wont_fix'])[1 + g % 6],
                   'category-' || (g % 40),
                   ARRAY['component-' || (g % 50), 'area-' || (g % 7)],
                   timestamptz '2026-01-01' + g * interval '1 minute', timestamptz '2026-01-01' + g * interval '1 minute'
            FROM generate_series(1, {Rows}) AS g
            """);
        await _db.ExecuteAsync("""
            INSERT INTO issue_updates (issue_id, kind, continuation_id, created_at)
            SELECT id, 'conversation_link', 'conversation-' || (row_number() OVER (ORDER BY created_at)) % 5000, created_at FROM issues
            """);
        await _db.ExecuteAsync("VACUUM ANALYZE issues");
        await _db.ExecuteAsync("VACUUM ANALYZE issue_updates");
        var middle = await _db.ColumnAsync<DateTime>("SELECT created_at FROM issues ORDER BY created_at DESC OFFSET 25000 LIMIT 1");
        var middleId = await _db.ColumnAsync<Guid>("SELECT id FROM issues ORDER BY created_at DESC OFFSET 25000 LIMIT 1");
        _middle = (new DateTimeOffset(middle[0], TimeSpan.Zero), middleId[0]);
    }

    [OneTimeTearDown]
    public async Task DropDatabaseAsync() => await _db.DisposeAsync();

    private static readonly Dictionary<string, IssueConditions> Filters = new()
    {
        ["no_filter"] = default,
        ["status"] = new IssueConditions { Status = "fixed" },
        ["severity"] = new IssueConditions { Severity = "high" },
        ["priority"] = new IssueConditions { Priority = "p0" },
        ["category"] = new IssueConditions { Category = "category-7" },
        ["component"] = new IssueConditions { Component = "component-13" },
        ["text"] = new IssueConditions { Text = "\"rate limit\"" },
        ["linked_conversation"] = new IssueConditions { ContinuationId = "conversation-42" },
        ["status_and_severity"] = new IssueConditions { Status = "open", Severity = "critical" },
    };

    public static IEnumerable<TestCaseData> Conditions() =>
        Filters.Keys.Select(name => new TestCaseData(name).SetName($"{{m}}_by_{name}_reads_through_indexes"));

    [TestCaseSource(nameof(Conditions))]
    public async Task Listing(string filter)
    {
        foreach (var after in new (DateTimeOffset, Guid)?[] { null, _middle })
        {
            var plan = await ExplainAsync(command => IssueSql.List(command, Filters[filter], after, 51));
            AssertIndexed(plan);
        }
    }

    [TestCaseSource(nameof(Conditions))]
    public async Task Counting(string filter)
    {
        var plan = await ExplainAsync(command => IssueSql.Counts(command, Filters[filter]));
        AssertIndexed(plan);
    }

    [Test]
    public async Task Reading_one_issue_its_history_and_its_checklist_uses_their_indexes()
    {
        var id = _middle.Id;
        foreach (var sql in new[] { IssueSql.SelectIssue, IssueSql.SelectUpdates, IssueSql.SelectItems, IssueSql.LockIssue })
        {
            AssertIndexed(await ExplainAsync(command =>
            {
                command.CommandText = sql;
                command.Parameters.AddWithValue("id", id);
            }));
        }
    }

    private static void AssertIndexed(string plan)
    {
        TestContext.Out.WriteLine(plan);
        plan.Should().NotContainAny(["Seq Scan on issues", "Seq Scan on issue_updates", "Seq Scan on issue_checklist_items"]);
        plan.Should().Contain("Index");
    }

    private async Task<string> ExplainAsync(Action<NpgsqlCommand> build)
    {
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand { Connection = connection };
        build(command);
        command.CommandText = "EXPLAIN " + command.CommandText;
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
