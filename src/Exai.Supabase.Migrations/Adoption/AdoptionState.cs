namespace Exai.Supabase.Migrations.Adoption;

/// <summary>Where a database stands with respect to adopting an EX-AI-MCP-Server schema.</summary>
public enum AdoptionState
{
    /// <summary>No legacy table is present: adoption has nothing to do (the migrations apply as usual).</summary>
    NotLegacy,

    /// <summary>Schema <c>public</c> holds legacy EX-AI tables that adoption consolidates.</summary>
    Legacy,

    /// <summary>An earlier adoption stopped part way (the backup exists, some tables are not copied yet); running again finishes it.</summary>
    Resumable,

    /// <summary>Adopted already: the consolidated tables hold the legacy rows and running again changes nothing.</summary>
    Adopted,

    /// <summary>Adoption cannot proceed without a decision of yours; <see cref="AdoptionPlan.Blockers"/> says why.</summary>
    Blocked,
}
