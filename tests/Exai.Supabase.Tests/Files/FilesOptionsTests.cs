using Exai.Supabase.Files;
using Exai.Supabase.Files.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Tests.Files;

/// <summary>Configuration of the files feature: binding, presets, validation messages.</summary>
public sealed class FilesOptionsTests
{
    [Test]
    public void Providers_and_buckets_bind_from_configuration_on_top_of_their_presets()
    {
        var options = Bind(new Dictionary<string, string?>
        {
            ["Exai:Files:Providers:kimi:ApiKey"] = "k",
            ["Exai:Files:Providers:GLM:ApiKey"] = "g",
            ["Exai:Files:Providers:glm:PurposeLimits:agent:MaxFileBytes"] = "1000",
            ["Exai:Files:Providers:acme:ApiKey"] = "a",
            ["Exai:Files:Providers:acme:BaseUrl"] = "https://files.acme.test/v1",
            ["Exai:Files:Providers:acme:Purposes:0"] = "assistants",
            ["Exai:Files:Buckets:user-files:MaxFileBytes"] = "2048",
            ["Exai:Files:Buckets:avatars:MaxFileBytes"] = "4096",
            ["Exai:Files:Deletion:Concurrency"] = "2",
        });

        var kimi = ProviderSettings.Resolve("kimi", options.Files.Providers["kimi"]);
        var glm = ProviderSettings.Resolve("glm", options.Files.Providers["glm"]);
        var acme = ProviderSettings.Resolve("acme", options.Files.Providers["acme"]);

        kimi.BaseUrl.Should().Be(new Uri("https://api.moonshot.ai/v1/"));
        kimi.MaxFileBytes.Should().Be(100L * 1024 * 1024);
        kimi.MaxFiles.Should().Be(1_000);
        kimi.Purposes.Should().Equal("file-extract", "image", "video", "batch");
        glm.BaseUrl.Should().Be(new Uri("https://open.bigmodel.cn/api/paas/v4/"));
        glm.PurposeLimits["agent"].MaxFileBytes.Should().Be(1000);
        glm.PurposeLimits["file-extract"].MaxImageBytes.Should().Be(5L * 1024 * 1024);
        glm.ListByPurpose.Should().BeTrue();
        acme.Kind.Should().Be(FileProviderKind.OpenAiCompatible);
        acme.BaseUrl.Should().Be(new Uri("https://files.acme.test/v1/"));
        options.Files.Buckets["user-files"].MaxFileBytes.Should().Be(2048);
        options.Files.Buckets["generated-files"].MaxFileBytes.Should().Be(FilesDefaults.GeneratedFilesMaxBytes);
        options.Files.Buckets["avatars"].MaxFileBytes.Should().Be(4096);
        options.Files.Deletion.Concurrency.Should().Be(2);
    }

    [Test]
    public void Invalid_settings_fail_with_messages_that_name_the_option_and_the_fix()
    {
        var act = () => Bind(new Dictionary<string, string?>
        {
            ["Exai:Files:Providers:kimi:Timeout"] = "00:00:30",
            ["Exai:Files:Providers:acme:ApiKey"] = "a",
            ["Exai:Files:Storage:SupabaseUrl"] = "https://project.supabase.co",
            ["Exai:Files:Deletion:Concurrency"] = "0",
        });

        var failures = act.Should().Throw<OptionsValidationException>().Which.Failures.ToList();
        failures.Should().Contain(f => f.Contains("Files.Providers[kimi].ApiKey is not set", StringComparison.Ordinal) && f.Contains("Exai:Files:Providers:kimi:ApiKey", StringComparison.Ordinal));
        failures.Should().Contain(f => f.Contains("Files.Providers[acme].BaseUrl", StringComparison.Ordinal));
        failures.Should().Contain(f => f.Contains("Files.Providers[acme].Purposes is empty", StringComparison.Ordinal));
        failures.Should().Contain(f => f.Contains("Files.Storage.ServiceKey is not set", StringComparison.Ordinal));
        failures.Should().Contain(f => f.Contains("Files.Deletion.Concurrency is 0", StringComparison.Ordinal));
    }

    [Test]
    public void Describing_provider_and_storage_options_never_shows_a_key()
    {
        var provider = new FileProviderOptions { ApiKey = "sk-describe-me-not" };
        var storage = new FileStorageOptions { SupabaseUrl = "https://p.supabase.co", ServiceKey = "service-describe-me-not" };

        provider.ToString().Should().NotContain("sk-describe-me-not").And.Contain("***");
        storage.ToString().Should().NotContain("service-describe-me-not").And.Contain("***");
    }

    private static ExaiSupabaseOptions Bind(Dictionary<string, string?> values)
    {
        values["ConnectionStrings:Exai"] = "Host=localhost;Database=x";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddExaiSupabase(configuration.GetSection("Exai"));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ExaiSupabaseOptions>>().Value;
    }
}
