using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.DependencyInjection.Internal;

/// <summary>
/// Fills connection strings nobody set from <c>ConnectionStrings:Exai</c> / <c>ConnectionStrings:ExaiDirect</c>. A
/// post-configuration, so explicit settings always win whatever the registration order.
/// </summary>
internal sealed class ConnectionStringDefaults(IConfiguration? configuration = null) : IPostConfigureOptions<ExaiSupabaseOptions>
{
    public void PostConfigure(string? name, ExaiSupabaseOptions options)
    {
        if (configuration is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            options.ConnectionString = configuration.GetConnectionString(ExaiSupabaseOptions.ConnectionStringName);
        }

        if (string.IsNullOrWhiteSpace(options.DirectConnectionString))
        {
            options.DirectConnectionString = configuration.GetConnectionString(ExaiSupabaseOptions.DirectConnectionStringName);
        }
    }
}
