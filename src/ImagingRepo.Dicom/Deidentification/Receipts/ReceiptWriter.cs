using System.Text;

namespace ImagingRepo.Dicom.Deidentification;

/// <summary>Appends receipts as JSON lines to one file; safe to call from parallel workers.</summary>
public sealed class ReceiptWriter : IDisposable
{
    private readonly StreamWriter _writer;
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

        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.None);
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = false, NewLine = "\n" };
    }

    /// <summary>Appends one receipt and flushes it, so a crash loses at most the line being written.</summary>
    /// <param name="receipt">The receipt.</param>
    public void Write(DeidentificationReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var line = receipt.ToJsonLine();
        lock (_gate)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }
}
