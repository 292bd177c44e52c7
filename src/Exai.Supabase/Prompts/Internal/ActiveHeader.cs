namespace Exai.Supabase.Prompts.Internal;

/// <summary>An active row without its text: what the full safety refresh reads to find the versions it must fetch.</summary>
internal sealed record ActiveHeader(Guid Id, string Tool, string Provider, int Tier, string Version, string ContentHash);
