namespace Exai.Supabase.Migrations.Adoption;

/// <summary>A table adoption found.</summary>
/// <param name="Name">The table name.</param>
/// <param name="Schema">Where it is now (<c>public</c>, or the backup schema after an interrupted run).</param>
/// <param name="Rows">Its exact row count.</param>
/// <param name="Disposition">What adoption does with it.</param>
/// <param name="Target">The consolidated table its rows go to, for consolidated tables.</param>
public sealed record AdoptionTable(string Name, string Schema, long Rows, AdoptionDisposition Disposition, string? Target);
