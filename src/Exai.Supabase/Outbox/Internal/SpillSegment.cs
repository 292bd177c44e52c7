namespace Exai.Supabase.Outbox.Internal;

/// <summary>
/// One append-only spill file. Format: the 8-byte header <c>EXSPILL1</c>, then records framed as
/// <c>[u32 length][u32 crc32c][payload]</c> (little-endian), payload = <c>[u8 kind length][kind][JSON]</c>.
/// </summary>
internal sealed class SpillSegment(string path, long length)
{
    public static ReadOnlySpan<byte> Header => "EXSPILL1"u8;

    public string Path { get; private set; } = path;

    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Bytes on disk.</summary>
    public long Length { get; set; } = length;

    /// <summary>Where the next read starts.</summary>
    public long ReadPosition { get; set; } = Header.Length;

    /// <summary>The index of the next record the reader returns.</summary>
    public int NextIndex { get; set; }

    /// <summary>Whether the reader reached the end of the file.</summary>
    public bool FullyRead { get; set; }

    /// <summary>Records read from this segment that are not yet saved (in flight or waiting for a parent).</summary>
    public int Unfinished { get; set; }

    public void MoveTo(string path)
    {
        File.Move(Path, path);
        Path = path;
    }
}
