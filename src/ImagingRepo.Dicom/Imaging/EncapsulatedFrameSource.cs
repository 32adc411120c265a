using System.Buffers;

namespace ImagingRepo.Dicom.Imaging;

/// <summary>Frames of encapsulated pixel data: the frame's fragments joined in a pooled buffer, then decoded.</summary>
internal sealed class EncapsulatedFrameSource : IFrameSource
{
    private readonly DicomFragment[] fragments;
    private readonly EncapsulatedFrameIndex index;
    private readonly IFrameDecoder decoder;
    private readonly ImageAttributes image;
    private readonly DicomTransferSyntax syntax;
    private readonly string description;

    public EncapsulatedFrameSource(DicomFragmentSequence pixelData, EncapsulatedFrameIndex index, IFrameDecoder decoder, ImageAttributes image, DicomTransferSyntax syntax, string description)
    {
        fragments = [.. pixelData.Fragments.Skip(1)];
        this.index = index;
        this.decoder = decoder;
        this.image = image;
        this.syntax = syntax;
        this.description = description;
    }

    public FrameBuffer ReadFrame(int frame)
    {
        var (first, count) = index[frame];
        var length = 0L;
        for (var i = first; i < first + count; i++)
        {
            length += fragments[i].Length;
        }

        if (length > Array.MaxLength)
        {
            throw new DicomPixelDataException($"{description}: frame {frame} has {length} compressed bytes, more than one buffer holds");
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(length, 1));
        try
        {
            var at = 0;
            for (var i = first; i < first + count; i++)
            {
                var fragment = fragments[i];
                var target = buffer.AsSpan(at, (int)fragment.Length);
                if (fragment.Reference is { } reference)
                {
                    reference.Source.ReadAll(reference.Offset, target);
                }
                else
                {
                    fragment.GetBytes().Span.CopyTo(target);
                }

                at += target.Length;
            }

            var where = $"{description}: frame {frame} ({syntax.Name})";
            try
            {
                return decoder.Decode(buffer.AsSpan(0, at), image, where);
            }
            catch (Exception e) when (e is not DicomPixelDataException and not OutOfMemoryException)
            {
                // a managed decoder's own exception on corrupt input becomes ours, naming the frame and syntax
                throw new DicomPixelDataException($"{where}: the codestream does not decode ({e.GetType().Name}: {e.Message})", e);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
