using Microsoft.Extensions.Configuration;

namespace Exai.Supabase.DependencyInjection.Internal;

/// <summary>The section given to <c>AddExaiSupabase(section)</c>, bound in place of the application's <c>Exai</c> section.</summary>
internal sealed record ExaiConfigurationSection(IConfiguration Section);
