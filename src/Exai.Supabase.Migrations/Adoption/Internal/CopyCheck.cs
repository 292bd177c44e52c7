namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>A count to verify before a copy commits: two bigint scalar queries that must agree.</summary>
/// <param name="Source">The legacy table checked.</param>
/// <param name="Expected">How many consolidated rows (or merged entries) the legacy rows must give.</param>
/// <param name="Actual">How many there are.</param>
internal sealed record CopyCheck(string Source, string Expected, string Actual);
