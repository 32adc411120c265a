using System.Buffers;
using System.Text.Json;

namespace ImagingRepo.Dicom.Deidentification.Receipts;

/// <summary>
/// Appends receipts as JSON lines to one file; safe to call from parallel workers. Lines are written in batches of
/// about 64 KiB, and at least once a second while receipts keep coming; <see cref="Flush"/> and <see cref="Dispose"/>
/// write what is pending. A crash can lose the last batch: the outputs it described exist without receipts, and the
/// engine gives each its receipt on the next run (see <see cref="OutputRecovery.IsReceiptMissing"/>).
/// </summary>
public sealed class ReceiptWriter : IDisposable
{
    /// <summary>Pending bytes that start a write: one write call per fifty-odd receipts instead of one each.</summary>
    private const int BatchSize = 64 * 1024;

    /// <summary>The longest a line waits while others arrive, so a reader following the file is never far behind.</summary>
    private const long MaxDelayMilliseconds = 1000;

    /// <summary>Each thread's line buffer: receipts are formatted outside the lock, so workers only queue for the write.</summary>
    [ThreadStatic]
    private static LineBuffer? t_line;

    private readonly FileStream _stream;
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _pending = new(BatchSize + 4096);
    private long _firstPendingAt;

    /// <summary>Opens (creating or appending to) a receipts file.</summary>
    /// <param name="path">The JSON-lines file.</param>
    public ReceiptWriter(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 0, FileOptions.None);
        if (_stream.Length > 0 && !EndsWithLineBreak(path))
        {
            // a run killed in the middle of a write left part of a line: the next line starts on its own
            _stream.Write("\n"u8);
        }
    }

    private static bool EndsWithLineBreak(string path)
    {
        using var file = File.OpenHandle(path);
        Span<byte> last = stackalloc byte[1];
        return RandomAccess.Read(file, last, RandomAccess.GetLength(file) - 1) == 1 && last[0] == (byte)'\n';
    }

    /// <summary>Appends one receipt; it reaches the file with its batch (see the class remarks).</summary>
    /// <param name="receipt">The receipt.</param>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public void Write(DeidentificationReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var line = (t_line ??= new LineBuffer()).Format(receipt);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(!_stream.CanWrite, this);
            var now = Environment.TickCount64;
            if (_pending.WrittenCount == 0)
            {
                _firstPendingAt = now;
            }

            line.CopyTo(_pending.GetSpan(line.Length));
            _pending.Advance(line.Length);
            if (_pending.WrittenCount >= BatchSize || now - _firstPendingAt >= MaxDelayMilliseconds)
            {
                WritePending();
            }
        }
    }

    /// <summary>Writes the pending receipts to the file.</summary>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public void Flush()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(!_stream.CanWrite, this);
            WritePending();
        }
    }

    /// <summary>Writes the pending receipts and closes the file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stream.CanWrite)
            {
                try
                {
                    WritePending();
                }
                finally
                {
                    _stream.Dispose();
                }
            }
        }
    }

    private void WritePending()
    {
        if (_pending.WrittenCount > 0)
        {
            _stream.Write(_pending.WrittenSpan);
            _pending.ResetWrittenCount();
        }
    }

    /// <summary>One reused buffer a receipt is written into as UTF-8 JSON and a newline: no string per receipt.</summary>
    private sealed class LineBuffer
    {
        private readonly ArrayBufferWriter<byte> _bytes = new(4096);
        private readonly Utf8JsonWriter _json;

        public LineBuffer() => _json = new Utf8JsonWriter(_bytes);

        public ReadOnlySpan<byte> Format(DeidentificationReceipt receipt)
        {
            _bytes.ResetWrittenCount();
            _json.Reset();
            receipt.WriteJson(_json);
            _json.Flush();
            _bytes.GetSpan(1)[0] = (byte)'\n';
            _bytes.Advance(1);
            return _bytes.WrittenSpan;
        }
    }
}
