using System.Buffers;
using System.Text.Json;

namespace ImagingRepo.Dicom.Deidentification;

/// <summary>Appends receipts as JSON lines to one file; safe to call from parallel workers.</summary>
public sealed class ReceiptWriter : IDisposable
{
    /// <summary>Each thread's line buffer: receipts are formatted outside the lock, so workers only queue for the write.</summary>
    [ThreadStatic]
    private static LineBuffer? t_line;

    private readonly FileStream _stream;
    private readonly Lock _gate = new();

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
    }

    /// <summary>Appends one receipt and writes it through, so a crash loses at most the line being written.</summary>
    /// <param name="receipt">The receipt.</param>
    public void Write(DeidentificationReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var line = (t_line ??= new LineBuffer()).Format(receipt);
        lock (_gate)
        {
            _stream.Write(line);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _stream.Dispose();
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
