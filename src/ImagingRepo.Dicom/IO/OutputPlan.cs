using Microsoft.Win32.SafeHandles;

namespace ImagingRepo.Dicom.IO;

/// <summary>
/// A file's output written as a plan instead of bytes: header bytes in memory, large values as ranges of their
/// source file (value sources recognise it and record a range instead of copying). <see cref="ReadNext"/> then produces
/// the output chunk by chunk, so several large outputs can be hashed side by side without holding any of them whole.
/// </summary>
internal sealed class OutputPlan(long memoryLimit) : WriteOnlyStream
{
    private readonly List<Segment> _segments = [];
    private readonly MemoryStream _pending = new();
    private long _memory;
    private int _segment;
    private long _segmentOffset;
    private SafeFileHandle? _handle;
    private string? _handlePath;

    /// <summary>The output length in bytes.</summary>
    public override long Length => _segments.Sum(s => s.Length) + _pending.Length;

    /// <summary>Bytes produced by <see cref="ReadNext"/> so far.</summary>
    public long Produced { get; private set; }

    /// <summary>Records <paramref name="length"/> bytes of <paramref name="path"/> at <paramref name="offset"/>, copied as they are.</summary>
    public void AddFileRange(string path, long offset, long length)
    {
        FlushPending();
        _segments.Add(new Segment(null, path, offset, length));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _memory += buffer.Length;
        if (_memory > memoryLimit)
        {
            throw new OutputPlanTooLargeException();
        }

        _pending.Write(buffer);
    }

    public override void Flush() => FlushPending();

    /// <summary>Fills <paramref name="destination"/> with the next bytes of the output; fewer only at its end.</summary>
    /// <exception cref="DicomReadException">A source file is shorter than when it was read.</exception>
    public int ReadNext(Span<byte> destination)
    {
        FlushPending();
        var total = 0;
        while (total < destination.Length && _segment < _segments.Count)
        {
            var segment = _segments[_segment];
            var count = (int)Math.Min(destination.Length - total, segment.Length - _segmentOffset);
            var target = destination.Slice(total, count);
            if (segment.Bytes is { } bytes)
            {
                bytes.AsSpan((int)_segmentOffset, count).CopyTo(target);
            }
            else
            {
                ReadFile(segment.Path!, segment.Offset + _segmentOffset, target);
            }

            total += count;
            _segmentOffset += count;
            if (_segmentOffset == segment.Length)
            {
                _segment++;
                _segmentOffset = 0;
            }
        }

        Produced += total;
        return total;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _handle?.Dispose();
            _pending.Dispose();
        }

        base.Dispose(disposing);
    }

    private void ReadFile(string path, long offset, Span<byte> target)
    {
        if (_handlePath != path)
        {
            _handle?.Dispose();
            _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            _handlePath = path;
        }

        var done = 0;
        while (done < target.Length)
        {
            var read = RandomAccess.Read(_handle!, target[done..], offset + done);
            if (read <= 0)
            {
                throw new DicomReadException(path, offset + done, null,
                    $"the file ended {target.Length - done} bytes before the end of a referenced value (was it changed after reading?)");
            }

            done += read;
        }
    }

    private void FlushPending()
    {
        if (_pending.Length > 0)
        {
            _segments.Add(new Segment(_pending.ToArray(), null, 0, _pending.Length));
            _pending.SetLength(0);
        }
    }

    private sealed record Segment(byte[]? Bytes, string? Path, long Offset, long Length);
}

/// <summary>An output would hold more bytes in memory than its plan allows (a large value that must be transformed).</summary>
internal sealed class OutputPlanTooLargeException() : Exception("the output needs more memory than an output plan allows");
