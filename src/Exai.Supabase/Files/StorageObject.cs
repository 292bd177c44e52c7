namespace Exai.Supabase.Files;

/// <summary>An entry of a storage listing: an object, or a folder (<see cref="IsFolder"/>).</summary>
/// <param name="Name">The entry's name inside the listed folder.</param>
/// <param name="Path">The entry's full path inside the bucket.</param>
/// <param name="SizeBytes">The object's size; <see langword="null"/> for a folder or when the store does not say.</param>
/// <param name="MimeType">The object's MIME type when the store keeps one.</param>
/// <param name="UpdatedAt">When it last changed, when the store says.</param>
/// <param name="IsFolder">Whether the entry is a folder (a common prefix of objects).</param>
public sealed record StorageObject(string Name, string Path, long? SizeBytes, string? MimeType, DateTimeOffset? UpdatedAt, bool IsFolder);
