namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>
/// The copy of one consolidated table from its legacy sources: statements run in order in one transaction, then
/// the counts that must agree before it commits.
/// </summary>
internal sealed class CopyGroup
{
    public CopyGroup(string target, IReadOnlyList<string> sources)
    {
        Target = target;
        Sources = sources;
    }

    /// <summary>The consolidated table; also the group's name in the journal.</summary>
    public string Target { get; }

    /// <summary>The legacy tables present that feed it.</summary>
    public IReadOnlyList<string> Sources { get; }

    public List<string> Statements { get; } = [];

    public List<CopyCheck> Checks { get; } = [];
}
