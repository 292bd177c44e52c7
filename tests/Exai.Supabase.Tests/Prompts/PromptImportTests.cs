using Exai.Supabase.Prompts;
using Exai.Supabase.Prompts.Internal;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Prompts;

/// <summary>Importing the prompts a project already has, from code or from a folder of files.</summary>
public sealed class PromptImportTests
{
    private MigratedDatabase _database = null!;
    private PromptHarness _prompts = null!;
    private string _folder = null!;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync()
    {
        _database = await MigratedDatabase.CreateAsync("exai_prompt_import");
        _prompts = PromptHarness.Create(_database.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task DropDatabaseAsync()
    {
        await _prompts.DisposeAsync();
        await _database.DisposeAsync();
    }

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "exai-prompt-import", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task Importing_a_folder_twice_creates_nothing_the_second_time()
    {
        Write("fdebug.kimi.md", "---\ntier: 2\nversion: v3\nauthor: alice\ndescription: from debug_prompt.py\n---\nYou debug.\nStep by step.\n");
        Write("fdebug.md", "You debug, whatever the model.");
        Write("fanalyze.glm.txt", "---\r\n# a comment\r\ntier: 1\r\n---\r\nYou analyze.");
        Write("notes.json", "{}");

        var first = await _prompts.Manager.ImportDirectoryAsync(_folder, changedBy: "migration");
        var second = await _prompts.Manager.ImportDirectoryAsync(_folder, changedBy: "migration");

        first.Created.Should().Be(3);
        first.Activated.Should().Be(3, "nothing was active yet");
        second.Created.Should().Be(0);
        second.Unchanged.Should().Be(3);
        second.Activated.Should().Be(0);
        second.Entries.Select(e => e.PromptId).Should().Equal(first.Entries.Select(e => e.PromptId));
        (await _database.ScalarAsync<long>("SELECT count(*) FROM system_prompts WHERE tool_name LIKE 'f%'")).Should().Be(3);
        var debug = (await _prompts.Manager.GetVersionsAsync("fdebug", "kimi")).Single();
        debug.Should().Match<PromptVersion>(v => v.Version == "v3" && v.Tier == 2 && v.CreatedBy == "alice" && v.ChangeDescription == "from debug_prompt.py" && v.IsActive);
        debug.Content.Should().Be("You debug.\nStep by step.\n", "the text after the header is kept as it is");
        (await _prompts.Manager.GetVersionsAsync("fanalyze", "glm")).Single().Should().Match<PromptVersion>(v => v.Tier == 1 && v.Content == "You analyze." && v.Version == "v1");
        (await _prompts.Resolver.ResolveAsync("fdebug", "glm")).Content.Should().Be("You debug, whatever the model.");
        first.Entries.Single(e => e.Tool == "fdebug" && e.Provider == "kimi").Source.Should().EndWith("fdebug.kimi.md");
    }

    [Test]
    public async Task A_changed_file_adds_a_version_without_undoing_the_active_one_unless_asked()
    {
        Write("cchat.kimi.md", "Chat, version one.");
        await _prompts.Manager.ImportDirectoryAsync(_folder);
        Write("cchat.kimi.md", "Chat, version two.");

        var kept = await _prompts.Manager.ImportDirectoryAsync(_folder);

        kept.Entries.Single().Should().Match<ImportReportEntry>(e => e.Outcome == ImportOutcome.Created && e.Version == "v2" && !e.Activated);
        (await _prompts.Resolver.ResolveAsync("cchat", "kimi")).Content.Should().Be("Chat, version one.");

        var forced = await _prompts.Manager.ImportDirectoryAsync(_folder, PromptImportActivation.Always);

        forced.Entries.Single().Should().Match<ImportReportEntry>(e => e.Outcome == ImportOutcome.Unchanged && e.Activated);
        (await _prompts.Resolver.ResolveAsync("cchat", "kimi")).Content.Should().Be("Chat, version two.");
    }

    [Test]
    public async Task Prompts_kept_in_code_import_the_same_way()
    {
        NewPromptVersion[] fromCode =
        [
            new() { Tool = "ccodereview", Provider = "kimi", Content = "Review like a senior engineer.", Tier = 2, Version = "py-2025-10" },
            new() { Tool = "ccodereview", Provider = PromptProviders.Base, Content = "Review the change." },
        ];

        var first = await _prompts.Manager.ImportAsync(fromCode, PromptImportActivation.Never, "deploy");
        var second = await _prompts.Manager.ImportAsync(fromCode, PromptImportActivation.Never, "deploy");

        first.ToString().Should().Be("2 prompt(s): 2 created, 0 unchanged, 0 activated");
        second.ToString().Should().Be("2 prompt(s): 0 created, 2 unchanged, 0 activated");
        (await _prompts.Manager.GetVersionsAsync("ccodereview", PromptProviders.Base)).Single().CreatedBy.Should().Be("deploy");
    }

    [Test]
    public async Task An_invalid_file_fails_the_import_naming_it_and_nothing_is_written()
    {
        Write("ibroken.aaa.md", "Fine content.");
        Write("ibroken.kimi.md", "---\ntier: 7\n---\nText.");
        var before = await _database.ScalarAsync<long>("SELECT count(*) FROM system_prompts");

        var import = () => _prompts.Manager.ImportDirectoryAsync(_folder);

        var error = (await import.Should().ThrowAsync<FormatException>()).Which;
        error.Message.Should().Contain("ibroken.kimi.md").And.Contain("tier");
        error.InnerException.Should().BeOfType<ArgumentOutOfRangeException>();
        (await _database.ScalarAsync<long>("SELECT count(*) FROM system_prompts")).Should().Be(before);
    }

    [Test]
    public async Task The_same_tool_and_provider_twice_in_one_import_is_refused()
    {
        NewPromptVersion[] twice =
        [
            new() { Tool = "twice", Provider = "kimi", Content = "one" },
            new() { Tool = "twice", Provider = "kimi", Content = "two" },
        ];

        var import = () => _prompts.Manager.ImportAsync(twice);

        (await import.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("twice/kimi appears 2 times");
        (await _database.ScalarAsync<long>("SELECT count(*) FROM system_prompts WHERE tool_name = 'twice'")).Should().Be(0);
    }

    [TestCase("---\ntier: two\n---\nx", "tier 'two' is not a number")]
    [TestCase("---\nteir: 2\n---\nx", "unknown header key 'teir'")]
    [TestCase("---\ntier: 2\n", "never closed")]
    [TestCase("---\njust words\n---\nx", "expected 'key: value'")]
    public void Malformed_headers_name_the_file_line_and_fix(string text, string expected)
    {
        var parse = () => PromptFileReader.Parse("bad.kimi.md", text);

        parse.Should().Throw<FormatException>().Which.Message.Should().Contain("bad.kimi.md").And.Contain(expected);
    }

    [Test]
    public void The_header_can_name_the_tool_and_provider_a_file_name_cannot_hold()
    {
        var prompt = PromptFileReader.Parse("anything.md", "---\ntool: code.review\nprovider: kimi\n---\nBody");

        prompt.Should().Match<NewPromptVersion>(p => p.Tool == "code.review" && p.Provider == "kimi" && p.Content == "Body");
    }

    [Test]
    public async Task A_missing_folder_is_reported_as_such()
    {
        var import = () => _prompts.Manager.ImportDirectoryAsync(Path.Combine(_folder, "nope"));

        await import.Should().ThrowAsync<DirectoryNotFoundException>();
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_folder, name), text);
}
