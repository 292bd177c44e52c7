using System.Diagnostics;
using Exai.Supabase.Prompts;
using Exai.Supabase.Prompts.Internal;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Exai.Supabase.Tests.Prompts;

/// <summary>The prompt cache inside a host, as applications run it.</summary>
public sealed class PromptHostTests
{
    [Test]
    public async Task A_host_loads_the_prompts_at_start_in_the_background_so_the_first_lookup_is_warm()
    {
        await using var database = await MigratedDatabase.CreateAsync("exai_prompt_host");
        await using (var writer = PromptHarness.Create(database.ConnectionString))
        {
            await writer.PublishAsync("debug", "kimi", "from the database", "v1");
        }

        using var host = TestHosts.Build(database.ConnectionString);
        await host.StartAsync();
        var cache = host.Services.GetRequiredService<PromptCache>();

        await Eventually.TrueAsync(() => Task.FromResult(cache.Snapshot.Loaded), TimeSpan.FromSeconds(30), "the cache loading at start");
        var first = host.Services.GetRequiredService<IPromptResolver>().ResolveAsync("debug", "kimi");
        first.IsCompletedSuccessfully.Should().BeTrue("the host's start already loaded the active prompts");
        first.Result.Content.Should().Be("from the database");
        await host.StopAsync();
    }

    [Test]
    public async Task Disposing_the_cache_synchronously_stops_it_and_the_last_snapshot_still_answers()
    {
        await using var database = await MigratedDatabase.CreateAsync("exai_prompt_dispose");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddExaiSupabase(o =>
        {
            o.ConnectionString = database.ConnectionString;
            o.Outbox.SpillDirectory = string.Empty;
            o.Prompts.Fallbacks.Add("debug", null, "from code");
        });
        var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<PromptCache>();
        cache.EnsureStarted();
        await Eventually.TrueAsync(() => Task.FromResult(cache.Snapshot.Loaded), TimeSpan.FromSeconds(30), "the cache loading");

        var dispose = () => ((IDisposable)cache).Dispose();

        dispose.Should().NotThrow();
        (await provider.GetRequiredService<IPromptResolver>().ResolveAsync("debug", "kimi")).Content.Should().Be("from code", "the last snapshot still answers");
        await provider.DisposeAsync();
    }

    [Test]
    public async Task A_host_starts_without_its_database_and_answers_from_the_code_fallbacks()
    {
        // Nothing listens on port 1: connections are refused at once.
        using var host = TestHosts.Build(
            "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2",
            b => b.AddPromptFallbacks(f => f.Add("debug", null, "from code")));
        var watch = Stopwatch.StartNew();

        await host.StartAsync();
        var prompt = await host.Services.GetRequiredService<IPromptResolver>().ResolveAsync("debug", "kimi");

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        prompt.Should().Match<ResolvedPrompt>(p => p.Origin == PromptOrigin.CodeFallback && p.Content == "from code");
        await host.StopAsync();
    }
}
