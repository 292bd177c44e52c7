using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exai.Supabase.Security.Internal;

/// <summary>Registers the security feature.</summary>
internal static class SecurityRegistration
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<ISupabaseTokenValidator, SupabaseTokenValidator>();
        services.TryAddSingleton<IExaiErasure, ExaiErasure>();
    }
}
