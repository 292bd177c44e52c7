using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Persistence;

/// <summary>
/// The pieces of every write's caller path, checked against PostgreSQL: the one-pass text check and the UUIDv7 ids
/// written field by field.
/// </summary>
public sealed class RecordPathTests
{
    private MigratedDatabase _database = null!;

    [OneTimeSetUp]
    public async Task SetUpAsync() => _database = await MigratedDatabase.CreateAsync("exai_record_path", migrate: false);

    [OneTimeTearDown]
    public async Task TearDownAsync() => await _database.DisposeAsync();

    [TestCase("plain ascii")]
    [TestCase("中文与日本語のテキスト")]
    [TestCase("emoji 😀 in a whole pair")]
    [TestCase("private use \uE000 and \uFFFD above the surrogates")]
    [TestCase("")]
    public async Task Text_the_one_pass_check_lets_through_is_stored_by_PostgreSQL_unchanged(string text)
    {
        InputGuard.Text(text, "content", 1_000).Should().BeSameAs(text);

        (await _database.ScalarAsync<string>("SELECT @t::text", ("t", text))).Should().Be(text);
    }

    // Built in code (an attribute argument cannot carry a lone surrogate: metadata stores it as U+FFFD) and named
    // without the text (a test name holding a lone surrogate does not reach the test results).
    private static readonly TestCaseData[] Refused =
    [
        new TestCaseData("\uE000" + '\0', "NUL").SetArgDisplayNames("NUL after U+E000"),
        new TestCaseData("\uFFFD then " + '\0', "NUL").SetArgDisplayNames("NUL after U+FFFD"),
        new TestCaseData("\uE000 then a lone " + '\uD800', "surrogate").SetArgDisplayNames("lone high surrogate after U+E000"),
        new TestCaseData("a lone low " + '\uDC00' + " after \uFFFF", "surrogate").SetArgDisplayNames("lone low surrogate before U+FFFF"),
        new TestCaseData("\U0001F600" + '\uD83D', "surrogate").SetArgDisplayNames("lone high surrogate after a whole pair"),
    ];

    [TestCaseSource(nameof(Refused))]
    public void Text_that_needs_the_closer_look_is_still_refused_after_characters_above_the_surrogates(string text, string reason)
    {
        var refuse = () => InputGuard.Text(text, "content", 1_000);

        refuse.Should().Throw<ArgumentException>().WithParameterName("content").Which.Message.Should().Contain(reason);
    }

    [Test]
    public async Task Ids_made_in_one_millisecond_are_version_7_and_sort_in_PostgreSQL_in_the_order_they_were_made()
    {
        // Ids are monotonic across the process (other tests make them too): they carry this millisecond or, when its
        // counter is used up, the next ones.
        var millisecond = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ids = Enumerable.Range(0, 10_000).Select(_ => UuidV7.NewId(millisecond)).ToArray();

        ids.Should().OnlyHaveUniqueItems();
        foreach (var id in ids.Take(100))
        {
            var text = id.ToString("N");
            text[12].Should().Be('7', "the version nibble");
            "89ab".Should().Contain(text[16].ToString(), "the RFC 9562 variant");
        }

        UuidV7.UnixMilliseconds(ids[0]).Should().BeInRange(millisecond, millisecond + 1_000);
        UuidV7.UnixMilliseconds(ids[^1]).Should().BeGreaterThan(UuidV7.UnixMilliseconds(ids[0]), "10,000 ids overflow one millisecond's 4,096 counter values");
        var order = await _database.ColumnAsync<long>(
            "SELECT i FROM unnest(@ids::uuid[]) WITH ORDINALITY AS t(id, i) ORDER BY id", ("ids", ids));
        order.Should().Equal(Enumerable.Range(1, ids.Length).Select(i => (long)i));
        (await _database.ScalarAsync<long>(
            "SELECT count(DISTINCT substr(id::text, 20)) FROM unnest(@ids::uuid[]) AS t(id)", ("ids", ids)))
            .Should().BeGreaterThan(9_990, "62 bits of each id are random");
    }
}
