using System.Collections.Concurrent;

namespace Exai.Supabase.Issues.Internal;

/// <summary>
/// This process's own view of the issues it created whose write is still in the outbox, so the creator reads its
/// issue back (and a status change on it knows to wait for the outbox) before the row is in the database — also
/// while the database is unreachable. An entry leaves when its record lands or a read finds the row.
/// </summary>
/// <remarks>
/// Bounded: past <see cref="Capacity"/> entries (a long outage with many new issues) new issues are not added; they
/// are still saved, only not readable here before they are.
/// </remarks>
internal sealed class PendingIssues
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<Guid, Entry> _issues = new();
    private readonly ConcurrentDictionary<Guid, Guid> _itemIssues = new();

    // ConcurrentDictionary.Count takes every lock of the table: far too slow for a call that must return at once.
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public bool TryAdd(Issue issue, IReadOnlyList<IssueChecklistItem> checklist)
    {
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        if (!_issues.TryAdd(issue.Id, new Entry(issue, checklist)))
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        foreach (var item in checklist)
        {
            _itemIssues[item.Id] = issue.Id;
        }

        return true;
    }

    public bool Contains(Guid issueId) => _issues.ContainsKey(issueId);

    public bool TryGet(Guid issueId, out Issue issue, out IReadOnlyList<IssueChecklistItem> checklist)
    {
        if (_issues.TryGetValue(issueId, out var entry))
        {
            issue = entry.Issue;
            checklist = entry.Checklist;
            return true;
        }

        issue = null!;
        checklist = [];
        return false;
    }

    /// <summary>The pending issue whose checklist holds <paramref name="itemId"/>, if any.</summary>
    public bool TryGetIssueOfItem(Guid itemId, out Guid issueId) => _itemIssues.TryGetValue(itemId, out issueId);

    public void Landed(Guid issueId)
    {
        if (_issues.TryRemove(issueId, out var entry))
        {
            Interlocked.Decrement(ref _count);
            foreach (var item in entry.Checklist)
            {
                _itemIssues.TryRemove(item.Id, out _);
            }
        }
    }

    private sealed record Entry(Issue Issue, IReadOnlyList<IssueChecklistItem> Checklist);
}
