using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.DependencyInjection.Internal;

/// <summary>
/// Binds the <c>Exai</c> section of the application's configuration (appsettings, environment variables such as
/// <c>Exai__Outbox__SpillDirectory</c>, …) when there is one. Registered before any code configuration, so settings
/// made in code win over configuration.
/// </summary>
internal sealed class ExaiSectionBinding(IConfiguration? configuration = null) : IConfigureOptions<ExaiSupabaseOptions>
{
    public void Configure(ExaiSupabaseOptions options) =>
        configuration?.GetSection(ExaiSupabaseOptions.SectionName).Bind(options);
}
