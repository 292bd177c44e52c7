namespace Exai.Supabase.DependencyInjection.Internal;

/// <summary>Registered once by the first <c>AddExaiSupabase</c> call, so later calls add nothing twice.</summary>
internal sealed class ExaiSupabaseMarker;
