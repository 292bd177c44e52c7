using Microsoft.Extensions.DependencyInjection;

namespace Exai.Supabase;

/// <summary>Returned by <c>AddExaiSupabase</c>; opt-in features extend it.</summary>
public interface IExaiSupabaseBuilder
{
    /// <summary>The service collection the library registers into.</summary>
    IServiceCollection Services { get; }
}
