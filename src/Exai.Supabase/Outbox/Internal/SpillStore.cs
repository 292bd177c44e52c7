using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>
/// Append-only spill segments in a folder this process owns (held by an exclusive lock on <c>.lock</c>), replayed
/// oldest first. Folders whose owner died (their lock is free) are adopted: their segments move into this folder
/// and are replayed like our own. A segment is deleted once every record in it is saved.
/// </summary>
/// <remarks>Every member runs on the outbox's background threads, never on a caller's.</remarks>
internal sealed class SpillStore : IDisposable
{
    private const string SegmentPattern = "*.seg";
    private const string LockFile = ".lock";
    private const int FrameHeader = 8;

    private readonly object _gate = new();
    private readonly string _root;
    private readonly string _folder;
    private readonly FileStream _lock;
    private readonly OutboxOptions _options;
    private readonly RecordKindRegistry _kinds;
    private readonly OutboxCounters _counters;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock = TimeProvider.System;
    private readonly List<SpillSegment> _segments = [];
    private readonly Dictionary<SpillSegment, EpochRuns> _epochs = [];
    private SpillSegment? _active;
    private FileStream? _writer;
    private bool _dirty;
    private long _lastSync;
    private long _totalBytes;
    private int _segmentNumber;
    private bool _disposed;

    private SpillStore(string root, string folder, FileStream lockStream, OutboxOptions options, RecordKindRegistry kinds, OutboxCounters counters, ILogger logger)
    {
        _root = root;
        _folder = folder;
        _lock = lockStream;
        _options = options;
        _kinds = kinds;
        _counters = counters;
        _logger = logger;
    }

    public string Folder => _folder;

    public long Bytes => Interlocked.Read(ref _totalBytes);

    public bool HasPending
    {
        get
        {
            lock (_gate)
            {
                return _segments.Exists(s => !s.FullyRead && s.ReadPosition < s.Length);
            }
        }
    }

    /// <summary>Opens a locked folder of this process's own under <paramref name="root"/>.</summary>
    public static SpillStore Open(string root, OutboxOptions options, RecordKindRegistry kinds, OutboxCounters counters, ILogger logger)
    {
        Directory.CreateDirectory(root);
        var folder = Path.Combine(root, $"p{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(folder);
        var lockStream = new FileStream(Path.Combine(folder, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        return new SpillStore(root, folder, lockStream, options, kinds, counters, logger);
    }

    /// <summary>
    /// Moves the segments of folders whose owner is gone into this folder, counting their records in
    /// <paramref name="epoch"/> (a flush waits for them too); returns how many segments were adopted.
    /// </summary>
    public int AdoptAbandoned(FlushEpoch epoch)
    {
        var adopted = 0;
        foreach (var folder in Directory.GetDirectories(_root))
        {
            if (string.Equals(folder, _folder, StringComparison.Ordinal))
            {
                continue;
            }

            FileStream? theirLock = null;
            try
            {
                // An exclusive lock succeeds only when the owning process is gone (the kernel releases it on exit).
                theirLock = new FileStream(Path.Combine(folder, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                foreach (var file in Directory.GetFiles(folder, SegmentPattern).Order(StringComparer.Ordinal))
                {
                    var target = Path.Combine(_folder, Path.GetFileName(file));
                    var segment = new SpillSegment(file, new FileInfo(file).Length);
                    segment.MoveTo(target);
                    var records = CountFrames(segment.Path);
                    var runs = new EpochRuns();
                    runs.AddMany(epoch, records);
                    lock (_gate)
                    {
                        InsertSorted(segment);
                        _epochs[segment] = runs;
                        Interlocked.Add(ref _totalBytes, segment.Length);
                    }

                    adopted++;
                }

                theirLock.Dispose();
                theirLock = null;
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Alive (locked), or another process is adopting it right now.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to touch.
            }
            finally
            {
                theirLock?.Dispose();
            }
        }

        if (adopted > 0)
        {
            OutboxLog.AdoptedSegments(_logger, adopted, _folder);
        }

        return adopted;
    }

    /// <summary>
    /// Appends records in order until the spill budget is spent; returns how many were written. The records keep
    /// counting in their flush epochs until the copies read back are saved.
    /// </summary>
    public int Append(IReadOnlyList<OutboxRecord> records)
    {
        var written = 0;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var record in records)
            {
                var frame = Frame(record);
                if (Interlocked.Read(ref _totalBytes) + frame.Length > _options.MaxSpillBytes)
                {
                    break;
                }

                if (_active is null || _active.Length + frame.Length > _options.SpillSegmentBytes)
                {
                    StartSegment();
                }

                _writer!.Write(frame);
                _active!.Length += frame.Length;
                Interlocked.Add(ref _totalBytes, frame.Length);
                _epochs[_active].Add(record.Epoch);
                _dirty = true;
                written++;
            }
        }

        _counters.Spilled(written);
        Sync(force: false);
        return written;
    }

    /// <summary>Forces written records to disk when the fsync interval has passed (or always, with <paramref name="force"/>).</summary>
    public void Sync(bool force)
    {
        lock (_gate)
        {
            if (!_dirty || _writer is null)
            {
                return;
            }

            if (!force && _clock.GetElapsedTime(_lastSync) < _options.SpillFsyncInterval)
            {
                return;
            }

            _writer.Flush(flushToDisk: true);
            _dirty = false;
            _lastSync = _clock.GetTimestamp();
        }
    }

    /// <summary>Whether a sync is owed (written data not yet forced to disk).</summary>
    public bool IsDirty
    {
        get
        {
            lock (_gate)
            {
                return _dirty;
            }
        }
    }

    /// <summary>Reads the next records of the oldest segment with unread data, up to the limits.</summary>
    public IReadOnlyList<OutboxRecord>? ReadNext(int maxCount, long maxBytes)
    {
        lock (_gate)
        {
            var segment = _segments.Find(s => !s.FullyRead);
            if (segment is null)
            {
                return null;
            }

            if (segment == _active)
            {
                if (segment.ReadPosition >= segment.Length)
                {
                    return null;
                }

                // The active segment becomes immutable before it is read; new records go to a fresh one.
                CloseActive();
            }

            var read = ReadFrames(segment, maxCount, maxBytes);
            segment.Unfinished += read.Count;
            if (segment.FullyRead)
            {
                DeleteIfDone(segment);
            }

            return read;
        }
    }

    /// <summary>
    /// Puts back the unsaved records of a read (a suffix of it: the drain lands in order), so they are read again.
    /// </summary>
    public void Rewind(IReadOnlyList<OutboxRecord> unsaved)
    {
        if (unsaved.Count == 0 || unsaved[0].Origin is not SpillSegment segment)
        {
            return;
        }

        lock (_gate)
        {
            segment.Unfinished -= unsaved.Count;
            segment.ReadPosition = Math.Min(segment.ReadPosition, unsaved[0].SpillPosition);
            segment.NextIndex = Math.Min(segment.NextIndex, unsaved[0].SpillIndex);
            segment.FullyRead = false;
            // The records still count in their epochs; the copies read again take over.
            _epochs[segment].Rewind(segment.NextIndex);
        }
    }

    /// <summary>Marks one record read from a segment as saved (or dead-lettered); deletes the segment when it is done.</summary>
    public void Finished(OutboxRecord record)
    {
        if (record.Origin is not SpillSegment segment)
        {
            return;
        }

        lock (_gate)
        {
            segment.Unfinished--;
            DeleteIfDone(segment);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            CloseActive();
            _lock.Dispose();
        }

        // An empty folder is removed; one with segments stays for the next process to adopt.
        try
        {
            if (Directory.GetFiles(_folder, SegmentPattern).Length == 0)
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

    private static string KindOf(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> json)
    {
        var length = payload[0];
        json = payload[(1 + length)..];
        return Encoding.UTF8.GetString(payload.Slice(1, length));
    }

    private byte[] Frame(OutboxRecord record)
    {
        var json = _kinds[record.KindName].Serialize(record);
        var name = Encoding.UTF8.GetBytes(record.KindName);
        var payloadLength = 1 + name.Length + json.Length;
        var frame = new byte[FrameHeader + payloadLength];
        var payload = frame.AsSpan(FrameHeader);
        payload[0] = (byte)name.Length;
        name.CopyTo(payload[1..]);
        json.CopyTo(payload[(1 + name.Length)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), Crc32C.Compute(payload));
        return frame;
    }

    private void StartSegment()
    {
        CloseActive();
        var name = string.Create(
            CultureInfo.InvariantCulture,
            $"{_clock.GetUtcNow().UtcTicks:D19}-{Environment.ProcessId}-{++_segmentNumber:D6}.seg");
        var path = Path.Combine(_folder, name);
        _writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        _writer.Write(SpillSegment.Header);
        _active = new SpillSegment(path, SpillSegment.Header.Length);
        _epochs[_active] = new EpochRuns();
        _segments.Add(_active);
        Interlocked.Add(ref _totalBytes, SpillSegment.Header.Length);
        _dirty = true;
    }

    private void CloseActive()
    {
        if (_writer is not null)
        {
            _writer.Flush(flushToDisk: true);
            _writer.Dispose();
            _writer = null;
            _dirty = false;
        }

        var closed = _active;
        _active = null;
        if (closed is not null)
        {
            DeleteIfDone(closed);
        }
    }

    private List<OutboxRecord> ReadFrames(SpillSegment segment, int maxCount, long maxBytes)
    {
        var records = new List<OutboxRecord>();
        var runs = _epochs[segment];
        using var stream = new FileStream(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024);
        var length = stream.Length;
        if (segment.ReadPosition == SpillSegment.Header.Length && !HasHeader(stream))
        {
            segment.FullyRead = true;
            _counters.Dropped(OutboxCounters.SpillCorrupt, 1);
            OutboxLog.SpillUnreadable(_logger, segment.Name);
            return records;
        }

        stream.Position = segment.ReadPosition;
        Span<byte> header = stackalloc byte[FrameHeader];
        long bytes = 0;
        while (records.Count < maxCount && bytes < maxBytes)
        {
            var position = stream.Position;
            if (position >= length)
            {
                segment.FullyRead = true;
                break;
            }

            if (length - position < FrameHeader || stream.ReadAtLeast(header, FrameHeader, throwOnEndOfStream: false) < FrameHeader)
            {
                Torn(segment);
                break;
            }

            var payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(header);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            if (payloadLength == 0 || payloadLength > length - position - FrameHeader)
            {
                // A frame that runs past the end: the process died while writing it.
                Torn(segment);
                break;
            }

            var payload = new byte[payloadLength];
            stream.ReadExactly(payload);
            segment.ReadPosition = stream.Position;
            var index = segment.NextIndex++;
            var epoch = runs.Next();
            if (Crc32C.Compute(payload) != crc)
            {
                var last = stream.Position >= length;
                _counters.Dropped(last ? OutboxCounters.SpillTorn : OutboxCounters.SpillCorrupt, 1);
                epoch?.Finish();
                if (last)
                {
                    segment.FullyRead = true;
                    OutboxLog.SpillTorn(_logger, segment.Name);
                    break;
                }

                OutboxLog.SpillCorrupt(_logger, segment.Name, position);
                continue;
            }

            try
            {
                var kindName = KindOf(payload, out var json);
                if (!_kinds.TryGet(kindName, out var kind))
                {
                    throw new FormatException($"unknown record kind '{kindName}'");
                }

                var record = kind.Deserialize(json);
                record.Origin = segment;
                record.SpillPosition = position;
                record.SpillIndex = index;
                record.Epoch = epoch;
                record.EnqueuedAt = Environment.TickCount64;
                records.Add(record);
                bytes += payloadLength;
            }
            catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or ArgumentException or IndexOutOfRangeException)
            {
                _counters.Dropped(OutboxCounters.SpillCorrupt, 1);
                epoch?.Finish();
                OutboxLog.SpillCorrupt(_logger, segment.Name, position);
            }
        }

        if (segment.ReadPosition >= length)
        {
            segment.FullyRead = true;
        }

        _counters.Replayed(records.Count);
        return records;
    }

    /// <summary>Counts the whole frames of a segment without reading their payloads (a torn tail is not counted).</summary>
    private static int CountFrames(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024);
        if (!HasHeader(stream))
        {
            return 0;
        }

        var count = 0;
        Span<byte> header = stackalloc byte[FrameHeader];
        while (stream.Length - stream.Position >= FrameHeader && stream.ReadAtLeast(header, FrameHeader, throwOnEndOfStream: false) == FrameHeader)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (length == 0 || length > stream.Length - stream.Position)
            {
                break;
            }

            stream.Position += length;
            count++;
        }

        return count;
    }

    private static bool HasHeader(FileStream stream)
    {
        Span<byte> header = stackalloc byte[8];
        return stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length && header.SequenceEqual(SpillSegment.Header);
    }

    private void Torn(SpillSegment segment)
    {
        segment.FullyRead = true;
        segment.ReadPosition = segment.Length;
        _counters.Dropped(OutboxCounters.SpillTorn, 1);
        OutboxLog.SpillTorn(_logger, segment.Name);
    }

    private void DeleteIfDone(SpillSegment segment)
    {
        if (segment == _active || !segment.FullyRead || segment.Unfinished > 0)
        {
            return;
        }

        try
        {
            File.Delete(segment.Path);
        }
        catch (IOException ex)
        {
            OutboxLog.SpillDeleteFailed(_logger, segment.Name, ex.Message);
            return;
        }

        _segments.Remove(segment);
        _epochs.Remove(segment);
        Interlocked.Add(ref _totalBytes, -segment.Length);
    }

    private void InsertSorted(SpillSegment segment)
    {
        var index = _segments.FindIndex(s => string.CompareOrdinal(s.Name, segment.Name) > 0);
        if (index < 0)
        {
            _segments.Add(segment);
        }
        else
        {
            _segments.Insert(index, segment);
        }
    }

    /// <summary>
    /// The flush epochs of a segment's records, run-length encoded (they change only at a flush), so a record
    /// spilled and read back in the same process keeps counting where it was recorded.
    /// </summary>
    private sealed class EpochRuns
    {
        private readonly List<(FlushEpoch? Epoch, int Count)> _runs = [];
        private int _readRun;
        private int _readOffset;

        public void AddMany(FlushEpoch epoch, int count)
        {
            if (count == 0)
            {
                return;
            }

            for (var i = 0; i < count; i++)
            {
                epoch.Add();
            }

            _runs.Add((epoch, count));
        }

        public void Add(FlushEpoch? epoch)
        {
            if (_runs.Count > 0 && ReferenceEquals(_runs[^1].Epoch, epoch))
            {
                _runs[^1] = (epoch, _runs[^1].Count + 1);
            }
            else
            {
                _runs.Add((epoch, 1));
            }
        }

        public FlushEpoch? Next()
        {
            while (_readRun < _runs.Count && _readOffset >= _runs[_readRun].Count)
            {
                _readRun++;
                _readOffset = 0;
            }

            if (_readRun >= _runs.Count)
            {
                return null;
            }

            _readOffset++;
            // Still counted from when it was recorded: the copy read back finishes it once saved.
            return _runs[_readRun].Epoch;
        }

        public void Rewind(int index)
        {
            _readRun = 0;
            _readOffset = index;
            while (_readRun < _runs.Count && _readOffset >= _runs[_readRun].Count)
            {
                _readOffset -= _runs[_readRun].Count;
                _readRun++;
            }
        }
    }
}
