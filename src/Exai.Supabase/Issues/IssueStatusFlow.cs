using System.Collections.Frozen;

namespace Exai.Supabase.Issues;

/// <summary>
/// The moves an issue's status may make. The main line is <c>open → in_progress → fixed → verified → closed</c>;
/// <c>wont_fix</c> ends an issue without a fix; reopening brings any finished or fixed issue back to <c>open</c>.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>From</term><description>May move to</description></listheader>
/// <item><term>open</term><description>in_progress, wont_fix</description></item>
/// <item><term>in_progress</term><description>fixed, open (work stopped), wont_fix</description></item>
/// <item><term>fixed</term><description>verified, in_progress (the fix did not hold), open (reopened)</description></item>
/// <item><term>verified</term><description>closed, open (reopened)</description></item>
/// <item><term>closed</term><description>open (reopened)</description></item>
/// <item><term>wont_fix</term><description>open (reopened)</description></item>
/// </list>
/// Staying put (<c>fixed → fixed</c>) is not a move. <see cref="IIssueTracker.TransitionAsync"/> refuses anything
/// else with <see cref="InvalidIssueTransitionException"/>, which names the allowed moves.
/// </remarks>
public static class IssueStatusFlow
{
    private static readonly FrozenDictionary<IssueStatus, IssueStatus[]> Moves = new Dictionary<IssueStatus, IssueStatus[]>
    {
        [IssueStatus.Open] = [IssueStatus.InProgress, IssueStatus.WontFix],
        [IssueStatus.InProgress] = [IssueStatus.Fixed, IssueStatus.Open, IssueStatus.WontFix],
        [IssueStatus.Fixed] = [IssueStatus.Verified, IssueStatus.InProgress, IssueStatus.Open],
        [IssueStatus.Verified] = [IssueStatus.Closed, IssueStatus.Open],
        [IssueStatus.Closed] = [IssueStatus.Open],
        [IssueStatus.WontFix] = [IssueStatus.Open],
    }.ToFrozenDictionary();

    /// <summary>The statuses an issue in <paramref name="from"/> may move to, the main line first.</summary>
    /// <param name="from">The current status.</param>
    /// <returns>The allowed targets.</returns>
    /// <exception cref="UnknownIssueValueException"><paramref name="from"/> is not a defined member.</exception>
    public static IReadOnlyList<IssueStatus> AllowedFrom(IssueStatus from) =>
        Moves.TryGetValue(from, out var targets) ? targets : throw Unknown(from, nameof(from));

    /// <summary>Whether an issue in <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    /// <param name="from">The current status.</param>
    /// <param name="to">The status wanted.</param>
    /// <returns><see langword="true"/> when the move is allowed.</returns>
    /// <exception cref="UnknownIssueValueException">A status is not a defined member.</exception>
    public static bool CanMove(IssueStatus from, IssueStatus to)
    {
        if (!Moves.ContainsKey(to))
        {
            throw Unknown(to, nameof(to));
        }

        return Array.IndexOf((IssueStatus[])AllowedFrom(from), to) >= 0;
    }

    private static UnknownIssueValueException Unknown(IssueStatus value, string paramName) =>
        new("status", ((int)value).ToString(System.Globalization.CultureInfo.InvariantCulture),
            [.. Enum.GetValues<IssueStatus>().Select(IssueVocabulary.ToText)], paramName);
}
