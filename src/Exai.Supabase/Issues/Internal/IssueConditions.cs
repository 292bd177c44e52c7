namespace Exai.Supabase.Issues.Internal;

/// <summary>An <see cref="IssueFilter"/> checked and turned into stored values; null members are no condition.</summary>
internal readonly record struct IssueConditions(
    string? Status,
    string? Severity,
    string? Priority,
    string? Category,
    string? Component,
    string? Text,
    string? ContinuationId);
