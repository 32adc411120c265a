using System.Security.Cryptography;

namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>
/// Writes one prepared output to a temporary file, names it (never replacing a file there) and records it: streamed
/// through a hash, or from bytes already rewritten and hashed in memory.
/// </summary>
internal sealed class OutputWriter(ReceiptRecorder recorder)
{
    /// <summary>Writes the output through a hashing stream: for large inputs, never held whole in memory.</summary>
    public DeidentificationResult WriteStreaming(PreparedOutput prepared, CancellationToken cancellationToken)
    {
        using var output = OutputFile.Create(prepared.Target);
        using var hashing = new HashingWriteStream(output.AsStream(), HashAlgorithmName.SHA3_256);
        prepared.File.WriteTo(hashing);
        return Publish(prepared, output, hashing.GetHash(), hashing.BytesWritten, cancellationToken);
    }

    /// <summary>Writes an output rewritten and hashed in memory with one write call.</summary>
    public DeidentificationResult WriteBuffered(PreparedOutput prepared, ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> hash,
        CancellationToken cancellationToken)
    {
        using var output = OutputFile.Create(prepared.Target);
        output.Append(bytes);
        return Publish(prepared, output, hash, bytes.Length, cancellationToken);
    }

    /// <summary>Names the finished output and writes the journal entry and the receipt.</summary>
    public DeidentificationResult Publish(PreparedOutput prepared, OutputFile output, ReadOnlySpan<byte> hash, long length,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (FileOutcomes.Contest(prepared, cancellationToken) is { } lost)
        {
            return lost;
        }

        if (!output.TryPublish())
        {
            // another run (or a DeidentifyFile call) named the same output meanwhile: the first one stands
            return new DeidentificationResult(prepared.SourcePath, DeidentificationStatus.Skipped, prepared.Target,
                "the output was written meanwhile by another run", null);
        }

        return new DeidentificationResult(prepared.SourcePath,
            prepared.Risk is null ? DeidentificationStatus.Deidentified : DeidentificationStatus.Quarantined, prepared.Target,
            prepared.Risk, recorder.Record(prepared, hash, length)) { Diagnostics = prepared.Diagnostics ?? [] };
    }
}
