using System.Buffers.Binary;

namespace ImagingRepo.Dicom.Imaging;

/// <summary>
/// Reads a JPEG 2000 codestream's image and tile size (the SIZ marker segment, ISO/IEC 15444-1 A.5.1) and checks it
/// against the image attributes before OpenJPEG sees the codestream. OpenJPEG sizes its per-tile state from SIZ while
/// it reads the header, so a corrupt SIZ (a width of 16 million, or one-pixel tiles) costs hundreds of megabytes before
/// any size could be checked through its API.
/// </summary>
internal static class Jpeg2000SizeCheck
{
    private const ushort StartOfCodestream = 0xFF4F;
    private const ushort ImageAndTileSize = 0xFF51;
    private const uint Jp2CodestreamBox = 0x6A703263; // 'jp2c'

    /// <summary>The most tiles a frame may have: 256, or one per 64 × 64 pixels in larger frames.</summary>
    public static long MaxTiles(ImageAttributes image) => Math.Max(256, image.PixelCount / 4096);

    /// <summary>Throws <see cref="DicomPixelDataException"/> unless SIZ gives the attributes' size and components and a sensible tiling.</summary>
    public static void Check(ReadOnlySpan<byte> compressed, bool isJp2, ImageAttributes image, string where)
    {
        var codestream = isJp2 ? FindCodestreamBox(compressed, where) : compressed;
        if (codestream.Length < 4 + 38 || BinaryPrimitives.ReadUInt16BigEndian(codestream) != StartOfCodestream
            || BinaryPrimitives.ReadUInt16BigEndian(codestream[2..]) != ImageAndTileSize)
        {
            throw new DicomPixelDataException($"{where}: the JPEG 2000 codestream does not begin with its SOC and SIZ markers");
        }

        var siz = codestream[4..];
        var length = BinaryPrimitives.ReadUInt16BigEndian(siz);
        var width = (long)BinaryPrimitives.ReadUInt32BigEndian(siz[4..]);
        var height = (long)BinaryPrimitives.ReadUInt32BigEndian(siz[8..]);
        var imageX = (long)BinaryPrimitives.ReadUInt32BigEndian(siz[12..]);
        var imageY = (long)BinaryPrimitives.ReadUInt32BigEndian(siz[16..]);
        var tileWidth = (long)BinaryPrimitives.ReadUInt32BigEndian(siz[20..]);
        var tileHeight = (long)BinaryPrimitives.ReadUInt32BigEndian(siz[24..]);
        var tileX = (long)BinaryPrimitives.ReadUInt32BigEndian(siz[28..]);
        var tileY = (long)BinaryPrimitives.ReadUInt32BigEndian(siz[32..]);
        var components = BinaryPrimitives.ReadUInt16BigEndian(siz[36..]);
        if (length != 38 + (3 * components) || siz.Length < length)
        {
            throw new DicomPixelDataException($"{where}: the JPEG 2000 SIZ segment is {length} bytes long for {components} components");
        }

        if (width - imageX != image.Columns || height - imageY != image.Rows || components != image.SamplesPerPixel)
        {
            throw new DicomPixelDataException(
                $"{where}: the JPEG 2000 image is {width - imageX}×{height - imageY} with {components} components, the image attributes say {image.Columns}×{image.Rows} with {image.SamplesPerPixel}");
        }

        // the first tile must cover the image origin (A.5.1); then the tile grid spans the image
        if (tileWidth == 0 || tileHeight == 0 || tileX > imageX || tileY > imageY || tileX + tileWidth <= imageX || tileY + tileHeight <= imageY)
        {
            throw new DicomPixelDataException($"{where}: the JPEG 2000 tiles ({tileWidth}×{tileHeight} from {tileX},{tileY}) do not cover the image");
        }

        var tiles = ((width - tileX + tileWidth - 1) / tileWidth) * ((height - tileY + tileHeight - 1) / tileHeight);
        if (tiles > MaxTiles(image))
        {
            throw new DicomPixelDataException($"{where}: the JPEG 2000 image is cut into {tiles} tiles of {tileWidth}×{tileHeight}, more than the {MaxTiles(image)} a {image.Columns}×{image.Rows} frame may have");
        }
    }

    /// <summary>The contents of a JP2 file's contiguous codestream box.</summary>
    private static ReadOnlySpan<byte> FindCodestreamBox(ReadOnlySpan<byte> file, string where)
    {
        var at = 0;
        while (file.Length - at >= 8)
        {
            var length = (long)BinaryPrimitives.ReadUInt32BigEndian(file[at..]);
            var type = BinaryPrimitives.ReadUInt32BigEndian(file[(at + 4)..]);
            var header = 8;
            if (length == 1 && file.Length - at >= 16)
            {
                length = (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(file[(at + 8)..]), long.MaxValue);
                header = 16;
            }
            else if (length == 0)
            {
                length = file.Length - at; // the box runs to the end
            }

            if (length < header || length > file.Length - at)
            {
                break;
            }

            if (type == Jp2CodestreamBox)
            {
                return file.Slice(at + header, (int)length - header);
            }

            at += (int)length;
        }

        throw new DicomPixelDataException($"{where}: the JP2 file holds no complete codestream box");
    }
}
