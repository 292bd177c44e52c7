using System.Collections.Frozen;
using Exai.Supabase.Issues.Internal;

namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>
/// The small vocabularies of the conversation and file tables (the issue tables' are in
/// <see cref="LegacyVocabulary"/>), keyed by the same normal form.
/// </summary>
internal static class LegacyValueMaps
{
    /// <summary>A role nothing maps is carried as <c>user</c> (and its original value kept).</summary>
    public const string DefaultRole = "user";

    /// <summary>messages.role → <c>system | user | assistant | tool</c>.</summary>
    public static readonly FrozenDictionary<string, string> Role = Build(
        ("system", "system"), ("developer", "system"),
        ("user", "user"), ("human", "user"),
        ("assistant", "assistant"), ("ai", "assistant"), ("model", "assistant"), ("bot", "assistant"),
        ("tool", "tool"), ("function", "tool"), ("tool_result", "tool"), ("tool_call", "tool"), ("function_call", "tool"));

    /// <summary>provider_file_uploads status → <c>pending | completed | failed | deleted</c>.</summary>
    public static readonly FrozenDictionary<string, string> UploadStatus = Build(
        ("pending", "pending"), ("uploading", "pending"), ("queued", "pending"), ("processing", "pending"),
        ("completed", "completed"), ("complete", "completed"), ("uploaded", "completed"), ("active", "completed"),
        ("success", "completed"), ("succeeded", "completed"), ("done", "completed"), ("ok", "completed"),
        ("failed", "failed"), ("error", "failed"), ("failure", "failed"),
        ("deleted", "deleted"), ("expired", "deleted"), ("removed", "deleted"), ("archived", "deleted"), ("orphaned", "deleted"));

    /// <summary>
    /// file_deletion_jobs status → <c>pending | completed | failed</c>. A job a legacy worker was running when it
    /// stopped is pending again, so the new worker retries it.
    /// </summary>
    public static readonly FrozenDictionary<string, string> JobStatus = Build(
        ("pending", "pending"), ("queued", "pending"), ("scheduled", "pending"), ("processing", "pending"),
        ("running", "pending"), ("in_progress", "pending"), ("retry", "pending"),
        ("completed", "completed"), ("complete", "completed"), ("done", "completed"), ("deleted", "completed"), ("success", "completed"),
        ("failed", "failed"), ("error", "failed"), ("abandoned", "failed"));

    /// <summary>files.file_type → <c>user_upload | generated | cache</c>.</summary>
    public static readonly FrozenDictionary<string, string> FileType = Build(
        ("user_upload", "user_upload"), ("upload", "user_upload"), ("user", "user_upload"),
        ("generated", "generated"), ("output", "generated"),
        ("cache", "cache"), ("cached", "cache"), ("temp", "cache"), ("tmp", "cache"));

    private static FrozenDictionary<string, string> Build(params (string Legacy, string Value)[] pairs) =>
        pairs.ToDictionary(p => LegacyVocabulary.Normalize(p.Legacy), p => p.Value, StringComparer.Ordinal).ToFrozenDictionary(StringComparer.Ordinal);
}
