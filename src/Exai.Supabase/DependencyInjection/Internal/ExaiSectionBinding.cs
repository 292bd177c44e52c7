using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.DependencyInjection.Internal;

/// <summary>
/// Binds the options' configuration section: the one given to <c>AddExaiSupabase(section)</c>, else section
/// <c>Exai</c> of the application's configuration (appsettings, environment variables such as
/// <c>Exai__Outbox__SpillDirectory</c>, …). Registered before any code configuration made through
/// <c>AddExaiSupabase</c>, so settings made there win over configuration.
/// </summary>
internal sealed class ExaiSectionBinding(IConfiguration? section = null) : IConfigureOptions<ExaiSupabaseOptions>
{
    public void Configure(ExaiSupabaseOptions options) => section?.Bind(options);
}
