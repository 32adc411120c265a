namespace ImagingRepo.Dicom;

/// <summary>A DICOM Part 10 file (or a raw dataset): preamble, file meta group, dataset, and what the reader noticed.</summary>
public sealed class DicomFile
{
    /// <summary>Creates a file from a dataset, to be written with a transfer syntax.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="transferSyntax">The transfer syntax (Explicit VR Little Endian when null).</param>
    public DicomFile(DicomDataset dataset, DicomTransferSyntax? transferSyntax = null)
    {
        Dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
        TransferSyntax = transferSyntax ?? DicomTransferSyntax.ExplicitVRLittleEndian;
    }

    /// <summary>The 128-byte preamble as read (empty when the input had none; written as zeros then).</summary>
    public ReadOnlyMemory<byte> Preamble { get; set; }

    /// <summary>The file meta group (group 0002). The writer fills in the group length and transfer syntax.</summary>
    public DicomDataset FileMetaInformation { get; init; } = new();

    /// <summary>The dataset.</summary>
    public DicomDataset Dataset { get; }

    /// <summary>The transfer syntax the dataset was read with (and is written with unless told otherwise).</summary>
    public DicomTransferSyntax TransferSyntax { get; set; }

    /// <summary>Malformations the lenient reader worked around; empty for a well-formed input.</summary>
    public IReadOnlyList<DicomDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>The path the file was read from, when read from a file.</summary>
    public string? FilePath { get; init; }

    /// <summary>The length of the input it was read from, in bytes; -1 when unknown.</summary>
    internal long SourceLength { get; init; } = -1;

    /// <summary>True when the input had a Part 10 header (preamble and/or meta group).</summary>
    public bool HadFileMetaInformation => FileMetaInformation.Count > 0;

    /// <summary>Reads a file. Values of at least <see cref="DicomReadOptions.LargeValueThreshold"/> bytes stay in the file until asked for.</summary>
    /// <param name="path">The path.</param>
    /// <param name="options">Read options, or null for the lenient defaults.</param>
    /// <returns>The file.</returns>
    /// <exception cref="DicomReadException">The file cannot be read as DICOM.</exception>
    public static DicomFile Open(string path, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = DicomStreamReader.Open(path, options);
        return DicomDatasetReader.ReadFile(reader, path);
    }

    /// <summary>
    /// Reads from a stream. When the stream is seekable, large values stay in it as references: keep it open while they
    /// are used (or read with <see cref="DicomReadOptions.LargeValueThreshold"/> = <see cref="int.MaxValue"/>).
    /// </summary>
    /// <param name="stream">The stream.</param>
    /// <param name="options">Read options.</param>
    /// <returns>The file.</returns>
    /// <exception cref="DicomReadException">The input cannot be read as DICOM.</exception>
    public static DicomFile Read(Stream stream, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = DicomStreamReader.Create(stream, options);
        return DicomDatasetReader.ReadFile(reader, null);
    }

    /// <summary>Reads DICOM bytes held in memory (every value is kept in memory).</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="options">Read options.</param>
    /// <returns>The file.</returns>
    /// <exception cref="DicomReadException">The input cannot be read as DICOM.</exception>
    public static DicomFile FromBytes(byte[] data, DicomReadOptions? options = null)
    {
        using var reader = DicomStreamReader.FromBytes(data, options);
        return DicomDatasetReader.ReadFile(reader, null);
    }

    /// <summary>Writes the file to a stream (Part 10: preamble, meta group, dataset).</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="options">Write options (target transfer syntax, ...).</param>
    public void WriteTo(Stream stream, DicomWriteOptions? options = null) => DicomWriter.Write(this, stream, options);

    /// <summary>Writes the file to a path atomically: a temporary file in the same folder, then a rename.</summary>
    /// <param name="path">The destination path.</param>
    /// <param name="options">Write options.</param>
    public void Save(string path, DicomWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                WriteTo(stream, options);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
