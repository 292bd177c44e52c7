namespace Exai.Supabase.Files;

/// <summary>What a stored file is, as kept in <c>files.file_type</c>.</summary>
public enum StoredFileType
{
    /// <summary>A file a user gave a tool (<c>user_upload</c>).</summary>
    UserUpload,

    /// <summary>A file a tool or model produced (<c>generated</c>).</summary>
    Generated,

    /// <summary>A derived copy kept to save work (<c>cache</c>); safe to delete.</summary>
    Cache,
}
