using System.Buffers;
using System.Text.Json;

namespace ImagingRepo.Dicom.Deidentification;

/// <summary>Appends receipts as JSON lines to one file; safe to call from parallel workers.</summary>
public sealed class ReceiptWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _line = new(4096);
    private readonly Utf8JsonWriter _json;
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
        _json = new Utf8JsonWriter(_line);
    }

    /// <summary>Appends one receipt and writes it through, so a crash loses at most the line being written.</summary>
    /// <param name="receipt">The receipt.</param>
    public void Write(DeidentificationReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        lock (_gate)
        {
            // UTF-8 straight into one reused buffer, line and newline in one write: no string per receipt
            _line.ResetWrittenCount();
            _json.Reset();
            receipt.WriteJson(_json);
            _json.Flush();
            _line.GetSpan(1)[0] = (byte)'\n';
            _line.Advance(1);
            _stream.Write(_line.WrittenSpan);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _json.Dispose();
            _stream.Dispose();
        }
    }
}
