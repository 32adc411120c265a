using System.Security.Cryptography;

namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>
/// What becomes of an input whose output exists already (a rerun): skipped, or, when no receipt records that output (a
/// crash came between naming it and appending its receipt), given its receipt now once the output rebuilt in memory is
/// found to be that file.
/// </summary>
internal sealed class OutputRecovery(ReceiptRecorder recorder)
{
    /// <summary>Asked about an existing output by its receipt path: true when no receipt records it. Null: never asked.</summary>
    public Func<string, bool>? IsReceiptMissing { get; set; }

    /// <summary>
    /// The outcome of <paramref name="prepared"/> when its output exists already (skipped, a duplicate or conflict in the batch,
    /// or recovered); null when it does not, and the output is to be written. Creates the output's folder.
    /// </summary>
    public DeidentificationResult? Resolve(PreparedOutput prepared, OutputLayout layout, CancellationToken cancellationToken)
    {
        // a rerun skips what is done; a folder this run created holds nothing done before, so ask only for older ones
        if (layout.EnsureFolder(Path.GetDirectoryName(prepared.Target)!) || !File.Exists(prepared.Target))
        {
            return null;
        }

        if (FileOutcomes.Contest(prepared, cancellationToken) is { } lost)
        {
            return lost;
        }

        return IsReceiptMissing?.Invoke(OutputLayout.ReceiptPath(prepared.Relative)) == true
            ? ReceiptForExisting(prepared)
            : FileOutcomes.Skipped(prepared.SourcePath, prepared.Target);
    }

    /// <summary>
    /// The receipt of an output that exists without one (a crash came between naming it and its receipt), after checking
    /// that the output rebuilt now is that file.
    /// </summary>
    private DeidentificationResult ReceiptForExisting(PreparedOutput prepared)
    {
        using var rebuilt = new HashingWriteStream(Stream.Null, HashAlgorithmName.SHA3_256);
        prepared.File.WriteTo(rebuilt);
        byte[] existing;
        long length;
        using (var stream = new FileStream(prepared.Target, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 17))
        {
            existing = SHA3_256.HashData(stream);
            length = stream.Length;
        }

        var hash = rebuilt.GetHash();
        if (length != rebuilt.BytesWritten || !hash.AsSpan().SequenceEqual(existing))
        {
            return FileOutcomes.Failed(prepared.SourcePath,
                $"'{prepared.Target}' exists without a receipt but is not what this input becomes now (another key or policy?)");
        }

        return new DeidentificationResult(prepared.SourcePath, DeidentificationStatus.Skipped, prepared.Target, null,
            recorder.Record(prepared, hash, length)) { Diagnostics = prepared.Diagnostics ?? [] };
    }
}
