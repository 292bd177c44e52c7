using Exai.Supabase.Migrations;
using Exai.Supabase.Migrations.Internal;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Tests.DependencyInjection;

public sealed class AddExaiSupabaseTests
{
    [Test]
    public void Calling_it_twice_registers_every_service_once()
    {
        var services = new ServiceCollection();
        services.AddExaiSupabase(o => o.ConnectionString = "Host=localhost").AddMigrations();
        var countAfterFirst = services.Count;
        var hostedAfterFirst = services.Count(d => d.ServiceType == typeof(IHostedService));

        services.AddExaiSupabase(o => o.ApplicationName = "second").AddMigrations();

        services.Count(d => d.ServiceType == typeof(IDbContextFactory<ExaiDbContext>)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(ExaiDataSources)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(StartupMigrationService)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(OutboxProcessor)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(RecordKind)).Should().Be(services.Where(d => d.ServiceType == typeof(RecordKind)).Select(d => d.ImplementationType).Distinct().Count());
        services.Count(d => d.ServiceType == typeof(IHostedService)).Should().Be(hostedAfterFirst);
        // Only the second configure action was added; it still applies.
        services.Count.Should().Be(countAfterFirst + 1);
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ExaiSupabaseOptions>>().Value;
        options.ApplicationName.Should().Be("second");
        options.ConnectionString.Should().Be("Host=localhost");
    }

    [Test]
    public void The_connection_string_comes_from_ConnectionStrings_Exai_unless_set_in_code()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Exai"] = "Host=from-config;Database=a",
            ["ConnectionStrings:ExaiDirect"] = "Host=direct;Database=a",
        }).Build();

        var fromConfig = Resolve(configuration, null);
        var inCode = Resolve(configuration, o => o.ConnectionString = "Host=in-code;Database=b");

        fromConfig.ConnectionString.Should().Be("Host=from-config;Database=a");
        fromConfig.EffectiveDirectConnectionString.Should().Be("Host=direct;Database=a");
        inCode.ConnectionString.Should().Be("Host=in-code;Database=b");
    }

    [Test]
    public void Options_come_from_the_Exai_section_and_code_wins_over_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Exai"] = "Host=from-config;Database=a",
            ["Exai:ApplicationName"] = "from-section",
            ["Exai:Outbox:MaxBatchRecords"] = "123",
            ["Exai:Files:Buckets:user-files:MaxFileBytes"] = "10",
            ["Exai:Files:Providers:kimi:ApiKey"] = "sk-from-config",
        }).Build();

        var fromSection = Resolve(configuration, null);
        var inCode = Resolve(configuration, o => o.Outbox.MaxBatchRecords = 7);

        fromSection.ApplicationName.Should().Be("from-section");
        fromSection.Outbox.MaxBatchRecords.Should().Be(123);
        fromSection.Files.Buckets["user-files"].MaxFileBytes.Should().Be(10);
        fromSection.Files.Buckets.Should().ContainKey("generated-files", "binding adds to the presets, it does not replace them");
        fromSection.Files.Providers["kimi"].ApiKey.Should().Be("sk-from-config");
        inCode.Outbox.MaxBatchRecords.Should().Be(7, "code configures after the section");
        inCode.ApplicationName.Should().Be("from-section");
    }

    [Test]
    public void A_section_given_in_code_is_bound_once_in_place_of_the_Exai_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Exai"] = "Host=from-config;Database=a",
            ["Exai:Files:Providers:glm:ApiKey"] = "glm-key",
            ["Exai:Files:Providers:glm:Purposes:0"] = "retrieval",
            ["Tools:Exai:ApplicationName"] = "given-section",
        }).Build();

        // The usual call passes the application's own Exai section: bound twice, its lists would repeat.
        var usual = Resolve(configuration, services => services.AddExaiSupabase(configuration.GetSection("Exai")));
        var other = Resolve(configuration, services => services.AddExaiSupabase(configuration.GetSection("Tools:Exai")));

        usual.Files.Providers["glm"].Purposes.Should().Equal(["retrieval"], "a list bound twice would repeat its items");
        usual.ConnectionString.Should().Be("Host=from-config;Database=a");
        other.ApplicationName.Should().Be("given-section");
        other.Files.Providers.Should().NotContainKey("glm", "the given section replaces the application's Exai section");

        static ExaiSupabaseOptions Resolve(IConfiguration configuration, Action<IServiceCollection> register)
        {
            var services = new ServiceCollection();
            services.AddSingleton(configuration);
            register(services);
            using var provider = services.BuildServiceProvider();
            return provider.GetRequiredService<IOptions<ExaiSupabaseOptions>>().Value;
        }
    }

    [Test]
    public void Migration_options_come_from_Exai_Migrations_and_code_wins_over_them()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Exai:Migrations:FailFast"] = "false",
            ["Exai:Migrations:StartupAttemptTimeout"] = "00:00:42",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddExaiSupabase(o => o.ConnectionString = "Host=localhost").AddMigrations(o => o.FailFast = true);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ExaiMigrationOptions>>().Value;

        options.FailFast.Should().BeTrue("code configures after the section");
        options.StartupAttemptTimeout.Should().Be(TimeSpan.FromSeconds(42));
    }

    [Test]
    public void The_direct_connection_defaults_to_the_pooled_one()
    {
        var options = new ExaiSupabaseOptions { ConnectionString = "Host=a" };

        options.EffectiveDirectConnectionString.Should().Be("Host=a");
    }

    [Test]
    public async Task A_missing_connection_string_fails_at_start_naming_the_setting_and_the_fix()
    {
        using var host = TestHosts.Build(connectionString: null);

        var start = () => host.StartAsync();

        var failure = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
        failure.Message.Should().Contain("ExaiSupabaseOptions.ConnectionString is not set")
            .And.Contain("ConnectionStrings__Exai");
    }

    [Test]
    public async Task A_malformed_connection_string_fails_at_start_without_echoing_its_secret()
    {
        using var host = TestHosts.Build("Host=db;Passwrd=hunter2;Port=not-a-number");

        var start = () => host.StartAsync();

        var failure = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
        failure.Message.Should().Contain("ExaiSupabaseOptions.ConnectionString is not a valid PostgreSQL connection string")
            .And.NotContain("hunter2");
    }

    [Test]
    public async Task A_connection_string_without_a_host_fails_at_start()
    {
        using var host = TestHosts.Build("Database=exai;Username=postgres;Password=hunter2");

        var start = () => host.StartAsync();

        var failure = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
        failure.Message.Should().Contain("names no Host").And.NotContain("hunter2");
    }

    [Test]
    public async Task Invalid_migration_options_fail_at_start()
    {
        using var host = TestHosts.Build(
            "Host=localhost",
            b => b.AddMigrations(o => o.RetryInterval = TimeSpan.Zero));

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("RetryInterval");
    }

    [Test]
    public void The_options_never_print_a_password()
    {
        var options = new ExaiSupabaseOptions { ConnectionString = "Host=db;Username=u;Password=hunter2", DirectConnectionString = "Host=db2;Password=s3cret" };

        var text = options.ToString();

        text.Should().NotContain("hunter2").And.NotContain("s3cret").And.Contain("Host=db").And.Contain("Password=***");
    }

    private static ExaiSupabaseOptions Resolve(IConfiguration configuration, Action<ExaiSupabaseOptions>? configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        if (configure is null)
        {
            services.AddExaiSupabase();
        }
        else
        {
            services.AddExaiSupabase(configure);
        }

        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ExaiSupabaseOptions>>().Value;
    }
}
