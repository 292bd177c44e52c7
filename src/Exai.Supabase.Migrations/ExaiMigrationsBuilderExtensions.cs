using Exai.Supabase;
using Exai.Supabase.Migrations;
using Exai.Supabase.Migrations.Internal;
using Exai.Supabase.Persistence.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the migrations package to <c>AddExaiSupabase</c>.</summary>
public static class ExaiMigrationsBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="ExaiMigrator"/> and a hosted service that applies pending migrations at start-up
    /// (<see cref="ExaiMigrationOptions.ApplyAtStartup"/>). Options are read from <c>Exai:Migrations</c> when
    /// configuration is registered, then from <paramref name="configure"/>. Safe to call more than once.
    /// </summary>
    /// <param name="builder">The builder <c>AddExaiSupabase</c> returned.</param>
    /// <param name="configure">Sets migration options; optional.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IExaiSupabaseBuilder AddMigrations(this IExaiSupabaseBuilder builder, Action<ExaiMigrationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!services.Any(d => d.ServiceType == typeof(StartupMigrationService)))
        {
            Register(services);
        }

        // After the configuration binding registered above, so code wins over configuration.
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder;
    }

    private static void Register(IServiceCollection services)
    {
        services.AddOptions<ExaiMigrationOptions>()
            .Configure<IServiceProvider>((options, provider) =>
                provider.GetService<IConfiguration>()?.GetSection(ExaiMigrationOptions.SectionName).Bind(options))
            .Validate(o => o.RetryInterval > TimeSpan.Zero && o.MaxRetryInterval >= o.RetryInterval,
                $"{nameof(ExaiMigrationOptions)}.{nameof(ExaiMigrationOptions.RetryInterval)} must be positive and not above {nameof(ExaiMigrationOptions.MaxRetryInterval)}.")
            .Validate(o => o.StartupAttemptTimeout > TimeSpan.Zero,
                $"{nameof(ExaiMigrationOptions)}.{nameof(ExaiMigrationOptions.StartupAttemptTimeout)} must be positive (the default is 15 seconds).")
            .ValidateOnStart();
        services.TryAddSingleton(sp => new ExaiMigrator(sp.GetRequiredService<ExaiDataSources>(), sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<StartupMigrationService>();
        // Registered before the library's own hosted services (when AddMigrations follows AddExaiSupabase), so
        // the schema work starts first.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => sp.GetRequiredService<StartupMigrationService>()));
    }
}
