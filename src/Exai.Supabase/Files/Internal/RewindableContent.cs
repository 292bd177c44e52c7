using System.Net;
using System.Net.Http.Headers;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// Request content read from a seekable stream that it rewinds before each send, so a retried request sends the
/// same bytes again; it never disposes the stream (the caller owns it).
/// </summary>
internal sealed class RewindableContent : HttpContent
{
    private readonly Stream _source;
    private readonly long _start;

    /// <param name="source">The stream (seekable).</param>
    /// <param name="start">Where the content starts: taken once, before the first attempt, since a send leaves the stream at its end.</param>
    /// <param name="mimeType">The content's type.</param>
    public RewindableContent(Stream source, long start, string? mimeType)
    {
        _source = source;
        _start = start;
        Headers.ContentType = MediaTypeHeaderValue.TryParse(mimeType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
    }

    public long Length => _source.Length - _start;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _source.Position = _start;
        await _source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = Length;
        return true;
    }
}
