namespace Exai.Supabase.Migrations.Adoption;

/// <summary>Rows of one legacy table and the consolidated rows they became (or, in a plan, will become).</summary>
/// <param name="Source">The legacy table (its name is the <c>source_table</c> of the rows it gave), or a stand-in source such as <c>unresolved:conversations</c>.</param>
/// <param name="Target">The consolidated table.</param>
/// <param name="SourceRows">Rows of the legacy table (0 for stand-ins).</param>
/// <param name="TargetRows">Consolidated rows that name it as their source. More than <paramref name="SourceRows"/> when one legacy row gives several (a <c>file_metadata</c> row per provider id).</param>
public sealed record AdoptionMove(string Source, string Target, long SourceRows, long TargetRows);
