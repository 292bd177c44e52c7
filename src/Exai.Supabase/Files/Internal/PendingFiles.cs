using System.Collections.Concurrent;
using Exai.Supabase.Security;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// This process's own file records that have not landed yet, so its reads see its writes (a file just registered can
/// be uploaded or deleted at once) and content uploaded a moment ago is reused before its record is in the database.
/// Each entry keeps the scope it was made in; a read sees only entries of its own scope (the service sees all).
/// </summary>
internal sealed class PendingFiles
{
    private readonly ConcurrentDictionary<Guid, Entry<StoredFile>> _files = new();
    private readonly ConcurrentDictionary<Guid, Entry<ProviderUpload>> _uploads = new();
    private readonly ConcurrentDictionary<Guid, Entry<Guid>> _deletions = new();

    public void AddFile(FileRecord record, StoredFile file)
    {
        var entry = new Entry<StoredFile>(file, record.ScopeUserId, record.Id);
        _files[file.Id] = entry;
        record.Landed = landed => _files.TryRemove(new KeyValuePair<Guid, Entry<StoredFile>>(file.Id, entry));
    }

    public void AddUpload(ProviderUploadRecord record, ProviderUpload upload)
    {
        var entry = new Entry<ProviderUpload>(upload, record.ScopeUserId, record.Id);
        _uploads[upload.Id] = entry;
        record.Landed = landed => _uploads.TryRemove(new KeyValuePair<Guid, Entry<ProviderUpload>>(upload.Id, entry));
    }

    public void AddDeletion(FileDeletionRecord record, Action? landed)
    {
        var fileId = record.FileId ?? Guid.Empty;
        var entry = new Entry<Guid>(record.Id, record.ScopeUserId, record.Id);
        if (record.FileId is not null)
        {
            _deletions[fileId] = entry;
        }

        record.Landed = _ =>
        {
            _deletions.TryRemove(new KeyValuePair<Guid, Entry<Guid>>(fileId, entry));
            landed?.Invoke();
        };
    }

    /// <summary>Whether this process asked for the file's deletion and the job has not landed yet.</summary>
    public bool IsBeingDeleted(Guid fileId) => _deletions.TryGetValue(fileId, out var entry) && Visible(entry.Scope);

    public StoredFile? File(Guid fileId) =>
        _files.TryGetValue(fileId, out var entry) && Visible(entry.Scope) && !IsBeingDeleted(fileId) ? entry.Value : null;

    public IEnumerable<ProviderUpload> Uploads() =>
        _uploads.Values.Where(e => Visible(e.Scope)).Select(e => e.Value);

    private static bool Visible(Guid? owner)
    {
        var scope = ExaiScope.Current;
        return scope.IsService || scope.UserId == owner;
    }

    private sealed record Entry<T>(T Value, Guid? Scope, Guid RecordId);
}
