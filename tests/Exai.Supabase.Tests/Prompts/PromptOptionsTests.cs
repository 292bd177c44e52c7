using Exai.Supabase.Prompts;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Tests.Prompts;

public sealed class PromptOptionsTests
{
    [Test]
    public void Defaults_are_the_documented_ones()
    {
        var options = new PromptOptions();

        options.Should().Match<PromptOptions>(o =>
            o.CacheEnabled && o.ListenForChanges && o.LoadAtStart
            && o.RefreshInterval == TimeSpan.FromSeconds(60)
            && o.LoadTimeout == TimeSpan.FromSeconds(2)
            && o.ReconnectDelay == TimeSpan.FromMilliseconds(250)
            && o.MaxReconnectDelay == TimeSpan.FromSeconds(30)
            && o.MaxCachedLookups == 10_000
            && o.Fallbacks.Count == 0);
    }

    [Test]
    public async Task Bad_settings_fail_at_start_naming_the_option_its_value_and_the_fix()
    {
        using var host = TestHosts.Build("Host=localhost;Database=none", b => b
            .ConfigurePrompts(o =>
            {
                o.RefreshInterval = TimeSpan.Zero;
                o.MaxReconnectDelay = TimeSpan.FromMilliseconds(10);
                o.MaxCachedLookups = 0;
            })
            .AddPromptFallbacks(f => f
                .Add("debug", null, "one")
                .Add("debug", "base", "two")
                .Add("chat", "kimi", "x", tier: 9)
                .Add(" ", null, "no tool")));

        var start = () => host.StartAsync();

        var message = (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message;
        message.Should().Contain("ExaiSupabaseOptions.Prompts.RefreshInterval is 00:00:00; it must be positive (the default is 60 seconds)")
            .And.Contain("ExaiSupabaseOptions.Prompts.MaxReconnectDelay (00:00:00.0100000) is below ReconnectDelay")
            .And.Contain("ExaiSupabaseOptions.Prompts.MaxCachedLookups")
            .And.Contain("ExaiSupabaseOptions.Prompts.Fallbacks[1] registers debug/base again (first at Fallbacks[0])")
            .And.Contain("ExaiSupabaseOptions.Prompts.Fallbacks[2].Tier is 9")
            .And.Contain("ExaiSupabaseOptions.Prompts.Fallbacks[3].Tool must not be empty");
    }

    [Test]
    public void Prompt_options_and_fallbacks_bind_from_the_Exai_Prompts_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Exai:ConnectionString"] = "Host=localhost",
            ["Exai:Prompts:RefreshInterval"] = "00:00:10",
            ["Exai:Prompts:Fallbacks:0:Tool"] = "debug",
            ["Exai:Prompts:Fallbacks:0:Content"] = "Debug carefully.",
            ["Exai:Prompts:Fallbacks:0:Tier"] = "2",
        }).Build();
        var services = new ServiceCollection();
        services.AddExaiSupabase(configuration.GetSection("Exai")).AddPromptFallbacks(f => f.Add("chat", "kimi", "Chat."));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ExaiSupabaseOptions>>().Value.Prompts;

        options.RefreshInterval.Should().Be(TimeSpan.FromSeconds(10));
        options.Fallbacks.Select(f => f.ToString()).Should().BeEquivalentTo("debug/base fallback", "chat/kimi fallback");
        options.Fallbacks.Single(f => f.Tool == "debug").Tier.Should().Be(2);
    }

    [Test]
    public void The_prompt_services_and_record_kind_are_registered_once()
    {
        var services = new ServiceCollection();
        services.AddExaiSupabase(o => o.ConnectionString = "Host=localhost");
        services.AddExaiSupabase();

        services.Count(d => d.ServiceType == typeof(IPromptResolver)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IPromptManager)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "PromptCacheHostedService").Should().Be(1);
        services.Count(d => d.ImplementationType?.Name == "PromptExecutionKind").Should().Be(1);
    }
}
