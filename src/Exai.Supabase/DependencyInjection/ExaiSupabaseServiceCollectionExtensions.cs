using Exai.Supabase;
using Exai.Supabase.DependencyInjection.Internal;
using Exai.Supabase.Conversations.Internal;
using Exai.Supabase.Files.Internal;
using Exai.Supabase.Issues.Internal;
using Exai.Supabase.Outbox;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Security.Internal;
using Exai.Supabase.Realtime.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Exai.Supabase.</summary>
public static class ExaiSupabaseServiceCollectionExtensions
{
    /// <summary>
    /// Registers the library with its settings taken from the application's configuration: the options from section
    /// <c>Exai</c> and the connection strings <c>ConnectionStrings:Exai</c> (and <c>ConnectionStrings:ExaiDirect</c>).
    /// Safe to call more than once.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder for opt-in features.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IExaiSupabaseBuilder AddExaiSupabase(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddCore(services);
    }

    /// <summary>
    /// Registers the library and configures it in code, after section <c>Exai</c> of the application's configuration
    /// (so code wins). Safe to call more than once; each action applies.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options; runs when the options are first needed.</param>
    /// <returns>A builder for opt-in features.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IExaiSupabaseBuilder AddExaiSupabase(this IServiceCollection services, Action<ExaiSupabaseOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = AddCore(services);
        services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Registers the library with its options bound from a configuration section (usually <c>Exai</c>); connection
    /// strings not set there still come from <c>ConnectionStrings</c>. Safe to call more than once.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section holding <see cref="ExaiSupabaseOptions"/>.</param>
    /// <returns>A builder for opt-in features.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IExaiSupabaseBuilder AddExaiSupabase(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        // This section replaces the application's Exai section as the one bound (binding both would repeat lists).
        services.AddSingleton(new ExaiConfigurationSection(section));
        return AddCore(services);
    }

    private static ExaiSupabaseBuilder AddCore(IServiceCollection services)
    {
        var builder = new ExaiSupabaseBuilder(services);
        if (services.Any(d => d.ServiceType == typeof(ExaiSupabaseMarker)))
        {
            return builder;
        }

        services.AddSingleton<ExaiSupabaseMarker>();
        services.AddOptions<ExaiSupabaseOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<ExaiSupabaseOptions>, ExaiSectionBinding>(
            sp => new ExaiSectionBinding(sp.GetService<ExaiConfigurationSection>()?.Section ?? sp.GetService<IConfiguration>()?.GetSection(ExaiSupabaseOptions.SectionName))));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ExaiSupabaseOptions>, ConnectionStringDefaults>(
            sp => new ConnectionStringDefaults(sp.GetService<IConfiguration>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExaiSupabaseOptions>, ExaiSupabaseOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ExaiDataSources>();
        services.TryAddSingleton<SchemaReadiness>();
        services.TryAddSingleton<ScopedDb>();
        services.AddPooledDbContextFactory<ExaiDbContext>((sp, options) =>
            ExaiDbContextConfigurator.Configure(options, sp.GetRequiredService<ExaiDataSources>().Pooled));
        AddOutbox(services);
        ConversationsRegistration.Add(services);
        SecurityRegistration.Add(services);
        FilesRegistration.Add(services);
        IssuesRegistration.Add(services);
        Exai.Supabase.Prompts.Internal.PromptsRegistration.Add(services);
        RealtimeRegistration.Add(services);
        return builder;
    }

    private static void AddOutbox(IServiceCollection services)
    {
        services.TryAddSingleton<RecordKindRegistry>();
        services.TryAddSingleton<OutboxProcessor>();
        services.TryAddSingleton<IExaiOutbox>(sp => sp.GetRequiredService<OutboxProcessor>());
        services.TryAddSingleton<OutboxMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OutboxHostedService>());
        services.AddHealthChecks().AddCheck<OutboxHealthCheck>(OutboxHealthCheck.Name, HealthStatus.Degraded, ["exai"]);
    }
}
