namespace Exai.Supabase.Issues;

/// <summary>One page of issues, newest first.</summary>
public sealed record IssuePage
{
    /// <summary>The page size used when none is given.</summary>
    public const int DefaultSize = 50;

    /// <summary>The largest page size accepted.</summary>
    public const int MaxSize = 500;

    /// <summary>The issues, newest first (creation time, then id, both descending).</summary>
    public required IReadOnlyList<Issue> Items { get; init; }

    /// <summary>
    /// An opaque cursor for the next page; <see langword="null"/> on the last page. Pages are keyset pages: issues
    /// created meanwhile do not shift them.
    /// </summary>
    public string? NextCursor { get; init; }
}
