namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// A thread as this process's views know it: the continuation id within the user scope it was read or written in,
/// so one user's pending or cached turns are never served to another.
/// </summary>
internal readonly record struct ThreadKey(Guid? UserId, string ContinuationId);
