using ImagingRepo.Dicom.Imaging;

namespace ImagingRepo.Dicom.Tests.Imaging;

/// <summary>Builds small images with known pixel values.</summary>
internal static class TestImages
{
    public static DicomDataset Image(int rows, int columns, int bitsAllocated, int bitsStored, bool signed, byte[] pixelData,
        string photometric = "MONOCHROME2", int samples = 1, int planar = 0, int frames = 1)
    {
        var dataset = new DicomDataset();
        dataset.SetValues(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)samples);
        dataset.SetString(DicomTags.PhotometricInterpretation, photometric);
        if (samples > 1)
        {
            dataset.SetValues(DicomTags.PlanarConfiguration, DicomVR.US, (ushort)planar);
        }

        if (frames > 1)
        {
            dataset.SetString(DicomTags.NumberOfFrames, frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        dataset.SetValues(DicomTags.Rows, DicomVR.US, (ushort)rows);
        dataset.SetValues(DicomTags.Columns, DicomVR.US, (ushort)columns);
        dataset.SetValues(DicomTags.BitsAllocated, DicomVR.US, (ushort)bitsAllocated);
        dataset.SetValues(DicomTags.BitsStored, DicomVR.US, (ushort)bitsStored);
        dataset.SetValues(DicomTags.HighBit, DicomVR.US, (ushort)(bitsStored - 1));
        dataset.SetValues(DicomTags.PixelRepresentation, DicomVR.US, (ushort)(signed ? 1 : 0));
        dataset.Add(new DicomValueElement(DicomTags.PixelData, bitsAllocated > 8 ? DicomVR.OW : DicomVR.OB, Even(pixelData)));
        return dataset;
    }

    public static DicomPixelData Open(DicomDataset dataset, DicomTransferSyntax? syntax = null) =>
        DicomPixelData.Open(new DicomFile(dataset, syntax ?? DicomTransferSyntax.ExplicitVRLittleEndian));

    public static byte[] Words(params ReadOnlySpan<ushort> values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray();

    public static int[] Stored(DicomPixelData pixels, int frame = 0)
    {
        var values = new int[pixels.SampleCount];
        pixels.ReadStoredFrame(frame, values);
        return values;
    }

    public static float[] Modality(DicomPixelData pixels, int frame = 0)
    {
        var values = new float[pixels.SampleCount];
        pixels.ReadModalityFrame(frame, values);
        return values;
    }

    public static byte[] Rgb(DicomPixelData pixels, int frame = 0, DicomVoiWindow? window = null)
    {
        var values = new byte[pixels.PixelCount * 3];
        pixels.ReadRgbFrame(frame, values, window);
        return values;
    }

    private static byte[] Even(byte[] bytes) => bytes.Length % 2 == 0 ? bytes : [.. bytes, 0];
}
