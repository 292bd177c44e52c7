namespace Exai.Supabase.Migrations.Adoption;

/// <summary>What adoption does with a table it found.</summary>
public enum AdoptionDisposition
{
    /// <summary>Its rows are copied into a consolidated table and the table itself is kept, untouched, in the backup schema.</summary>
    Consolidated,

    /// <summary>Outside the consolidation (<c>exai_future_enhancements</c>, <c>schema_version</c>, unknown tables): it stays where it is, untouched.</summary>
    Kept,

    /// <summary>It carries one of the library's fixed names without a legacy counterpart to consolidate; adoption stops until it is moved or renamed.</summary>
    Unsupported,
}
