using System.Buffers;

namespace ImagingRepo.Dicom.Deidentification.Pixels;

/// <summary>
/// Pixel data kept in the source file, seen through a <see cref="PixelMask"/>: the writer copies it chunk by chunk
/// as usual and every chunk is masked on the way, so masking costs no extra pass or buffer.
/// </summary>
internal sealed class MaskedValueSource(DicomValueReference original, PixelMask mask) : DicomValueSource
{
    public override string Description => original.Source.Description;

    public override int Read(long offset, Span<byte> buffer)
    {
        var read = original.Source.Read(offset, buffer);
        if (read > 0)
        {
            mask.Apply(buffer[..read], offset - original.Offset);
        }

        return read;
    }

    public override void CopyTo(long offset, long length, Stream destination, SpanAction<byte, int>? transform = null)
    {
        var position = offset - original.Offset;
        original.Source.CopyTo(offset, length, destination, (span, count) =>
        {
            mask.Apply(span[..count], position);
            position += count;
            transform?.Invoke(span, count);
        });
    }

    /// <summary>The masked element standing in for <paramref name="element"/>.</summary>
    public static DicomValueElement Wrap(DicomValueElement element, PixelMask mask)
    {
        if (element.Reference is { } reference)
        {
            var source = new MaskedValueSource(reference, mask);
            return new DicomValueElement(element.Tag, element.VR,
                new DicomValueReference(source, reference.Offset, reference.Length, reference.IsBigEndian, reference.SwapSize));
        }

        var copy = element.Span.ToArray();
        mask.Apply(copy, 0);
        return new DicomValueElement(element.Tag, element.VR, copy);
    }
}
