using Exai.Supabase.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Tests.Realtime;

/// <summary>The change feed's settings: validated at start with messages that name the option and the fix.</summary>
public sealed class RealtimeOptionsTests
{
    [Test]
    public async Task Bad_settings_fail_validation_naming_the_option_its_value_and_the_fix()
    {
        var services = new ServiceCollection();
        services.AddExaiSupabase(o =>
        {
            o.ConnectionString = "Host=localhost;Database=x;Username=u";
            o.Realtime.StatusInterval = TimeSpan.Zero;
            o.Realtime.MaxReconnectDelay = TimeSpan.FromMilliseconds(10);
            o.Realtime.SlotNamePrefix = "Bad-Prefix";
        });
        await using var provider = services.BuildServiceProvider();

        var read = () => provider.GetRequiredService<IOptions<ExaiSupabaseOptions>>().Value;

        var failures = read.Should().Throw<OptionsValidationException>().Which.Failures.ToList();
        failures.Should().Contain(f => f.Contains("Realtime.StatusInterval", StringComparison.Ordinal) && f.Contains("1 second", StringComparison.Ordinal));
        failures.Should().Contain(f => f.Contains("Realtime.MaxReconnectDelay", StringComparison.Ordinal) && f.Contains("raise it", StringComparison.Ordinal));
        failures.Should().Contain(f => f.Contains("Realtime.SlotNamePrefix", StringComparison.Ordinal) && f.Contains("'Bad-Prefix'", StringComparison.Ordinal));
    }

    [Test]
    public void Defaults_are_the_documented_ones()
    {
        var options = new RealtimeOptions();
        options.StatusInterval.Should().Be(TimeSpan.FromSeconds(1));
        options.ReconnectDelay.Should().Be(TimeSpan.FromMilliseconds(250));
        options.MaxReconnectDelay.Should().Be(TimeSpan.FromSeconds(30));
        options.RetainedWalWarningBytes.Should().Be(512L * 1024 * 1024);
        options.SlotNamePrefix.Should().Be("exai_");
    }

    [Test]
    public async Task The_feed_is_registered_once_however_often_the_library_is_added()
    {
        var services = new ServiceCollection();
        services.AddExaiSupabase(o => o.ConnectionString = "Host=localhost;Database=x;Username=u");
        services.AddExaiSupabase();
        services.Count(d => d.ServiceType == typeof(IChangeFeed)).Should().Be(1);
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IChangeFeed>().Should().BeSameAs(provider.GetRequiredService<IChangeFeed>());
    }
}
