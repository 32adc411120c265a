using System.Globalization;
using ImagingRepo.Dicom;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Cli.Tests;

/// <summary>What the inference command and the in-cluster sample are run on: a small model and a small CT series.</summary>
internal static class InferenceInputs
{
    /// <summary>
    /// The threshold segmenter of the inference tests, built with python3-onnx into <paramref name="folder"/>, with a
    /// sidecar windowing CT at 100/400 (so 300 HU is above its threshold and -100 HU below).
    /// </summary>
    public static string ThresholdModel(string folder)
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python) || ProcessRunner.Run(python, "-c", "import onnx").ExitCode != 0)
        {
            return TestEnvironment.Unavailable<string>("python3-onnx");
        }

        var script = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "ImagingRepo.Inference.Tests", "Models", "make_test_models.py");
        Directory.CreateDirectory(folder);
        var (exit, _, stderr) = ProcessRunner.Run(python, script, folder);
        Assert.True(exit == 0, stderr);
        File.WriteAllText(Path.Combine(folder, "threshold2d.json"), """{ "input": { "normalization": { "kind": "Window", "center": 100, "width": 400 } } }""");
        return Path.Combine(folder, "threshold2d.onnx");
    }

    /// <summary>Six 16x16 axial CT slices 3 mm apart (series 2.25.71) into <paramref name="folder"/>, bright (300 HU) in their left half.</summary>
    public static void CtSeries(string folder)
    {
        Directory.CreateDirectory(folder);
        for (var k = 0; k < 6; k++)
        {
            var d = new DicomDataset();
            d.SetString(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
            d.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, $"2.25.77.{k + 1}");
            d.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, "2.25.70");
            d.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, "2.25.71");
            d.SetString(DicomTags.FrameOfReferenceUID, DicomVR.UI, "2.25.72");
            d.SetString(DicomTags.Modality, DicomVR.CS, "CT");
            d.SetString(DicomTags.ImagePositionPatient, DicomVR.DS, string.Create(CultureInfo.InvariantCulture, $"0\\0\\{k * 3}"));
            d.SetString(DicomTags.ImageOrientationPatient, DicomVR.DS, "1\\0\\0\\0\\1\\0");
            d.SetString(DicomTags.PixelSpacing, DicomVR.DS, "1\\1");
            d.SetValues<ushort>(DicomTags.SamplesPerPixel, DicomVR.US, 1);
            d.SetString(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
            d.SetValues<ushort>(DicomTags.Rows, DicomVR.US, 16);
            d.SetValues<ushort>(DicomTags.Columns, DicomVR.US, 16);
            d.SetValues<ushort>(DicomTags.BitsAllocated, DicomVR.US, 16);
            d.SetValues<ushort>(DicomTags.BitsStored, DicomVR.US, 16);
            d.SetValues<ushort>(DicomTags.HighBit, DicomVR.US, 15);
            d.SetValues<ushort>(DicomTags.PixelRepresentation, DicomVR.US, 1);
            d.SetValues<short>(DicomTags.PixelData, DicomVR.OW, [.. Enumerable.Range(0, 256).Select(i => (short)(i % 16 < 8 ? 300 : -100))]);
            new DicomFile(d).Save(Path.Combine(folder, $"{k}.dcm"));
        }
    }
}
