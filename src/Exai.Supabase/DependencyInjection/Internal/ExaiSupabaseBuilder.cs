using Microsoft.Extensions.DependencyInjection;

namespace Exai.Supabase.DependencyInjection.Internal;

internal sealed class ExaiSupabaseBuilder(IServiceCollection services) : IExaiSupabaseBuilder
{
    public IServiceCollection Services { get; } = services;
}
