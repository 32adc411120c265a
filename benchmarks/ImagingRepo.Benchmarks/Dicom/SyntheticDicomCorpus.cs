using System.Globalization;
using ImagingRepo.Dicom;

namespace ImagingRepo.Benchmarks.Dicom;

/// <summary>
/// Writes the synthetic corpora of the dump benchmark with our own writer: <c>ct</c> (2,000 CT slices 512x512 int16 in
/// 4 series), <c>mr-enh</c> (5 enhanced MR files of 300 frames 256x256 with per-frame functional groups) and
/// <c>small</c> (20,000 Basic Text SR files in 20 folders). Deterministic, so a cached corpus stays valid.
/// </summary>
internal static class SyntheticDicomCorpus
{
    /// <summary>Entry point: <c>dicom-corpus OUTPUT-FOLDER [ct|mr-enh|small ...]</c>; prints what it wrote on the last line.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: dicom-corpus OUTPUT-FOLDER [ct] [mr-enh] [small]");
            return Task.FromResult(2);
        }

        var root = args[0];
        var which = args.Length > 1 ? args[1..] : ["ct", "mr-enh", "small"];
        var written = new List<string>();
        foreach (var name in which)
        {
            var folder = Path.Combine(root, name);
            var count = name switch
            {
                "ct" => WriteCt(folder),
                "mr-enh" => WriteEnhancedMr(folder),
                "small" => WriteSmall(folder),
                _ => throw new ArgumentException($"unknown corpus '{name}' (ct, mr-enh, small)"),
            };
            written.Add($"{name}={count}");
        }

        Console.WriteLine("generated " + string.Join(' ', written));
        return Task.FromResult(0);
    }

    private static string Uid(string root, params int[] parts) => root + "." + string.Join('.', parts.Select(p => p.ToString(CultureInfo.InvariantCulture)));

    private const string UidRoot = "2.25.1234567890123456789";

    private static DicomDataset Item(params Action<DicomDataset>[] setters)
    {
        var item = new DicomDataset();
        foreach (var set in setters)
        {
            set(item);
        }

        return item;
    }

    private static DicomDataset Code(string value, string scheme, string meaning) => Item(
        d => d.SetString(new DicomTag(0x00080100), DicomVR.SH, value),
        d => d.SetString(new DicomTag(0x00080102), DicomVR.SH, scheme),
        d => d.SetString(new DicomTag(0x00080104), DicomVR.LO, meaning));

    private static void Patient(DicomDataset d, int patient)
    {
        d.SetString(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        d.SetString(DicomTags.PatientName, DicomVR.PN, $"Synthetic^Patient{patient:D4}^^^");
        d.SetString(DicomTags.PatientID, DicomVR.LO, $"SYN{patient:D6}");
        d.SetString(DicomTags.PatientBirthDate, DicomVR.DA, "19600101");
        d.SetString(DicomTags.PatientSex, DicomVR.CS, patient % 2 == 0 ? "F" : "M");
        d.SetString(DicomTags.PatientAge, DicomVR.AS, "064Y");
        d.SetString(DicomTags.InstitutionName, DicomVR.LO, "Synthetic Imaging Centre");
        d.SetString(DicomTags.InstitutionAddress, DicomVR.ST, "1 Benchmark Street, Test City");
        d.SetString(DicomTags.ReferringPhysicianName, DicomVR.PN, "Referrer^Example");
        d.SetString(DicomTags.AccessionNumber, DicomVR.SH, $"ACC{patient:D8}");
        d.SetString(DicomTags.StudyDate, DicomVR.DA, "20240315");
        d.SetString(DicomTags.StudyTime, DicomVR.TM, "101500.000000");
        d.SetString(DicomTags.StudyDescription, DicomVR.LO, "CT THORAX ABDOMEN PELVIS WITH CONTRAST");
        d.SetString(DicomTags.StudyID, DicomVR.SH, "1");
        d.SetString(DicomTags.Manufacturer, DicomVR.LO, "ImagingRepo Synthetic");
        d.SetString(DicomTags.ManufacturerModelName, DicomVR.LO, "Generator 1");
    }

    private static void Private(DicomDataset d)
    {
        d.SetString(new DicomTag(0x00190010), DicomVR.LO, "IMAGINGREPO SYNTHETIC 1.0");
        d.SetString(new DicomTag(0x00191001), DicomVR.LO, "private text value of a synthetic vendor block");
        d.SetValues<int>(new DicomTag(0x00191002), DicomVR.SL, 1, 2, 3, 4);
        d.SetValues<double>(new DicomTag(0x00191003), DicomVR.FD, 0.5, 1.5, 2.5);
        d.SetString(new DicomTag(0x00191004), DicomVR.SH, "ABC123");
        d.Add(new DicomValueElement(new DicomTag(0x00191005), DicomVR.OB, Enumerable.Range(0, 64).Select(i => (byte)i).ToArray()));
    }

    private static void Save(DicomDataset dataset, string path, DicomTransferSyntax? syntax = null)
    {
        var file = new DicomFile(dataset, syntax ?? DicomTransferSyntax.ExplicitVRLittleEndian);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        file.WriteTo(stream);
    }

    private static int WriteCt(string folder)
    {
        const int series = 4, slices = 500;
        var pixels = new byte[512 * 512 * 2];
        for (var i = 0; i < pixels.Length; i += 2)
        {
            var v = (short)(((i / 2) % 512) - 1024 + ((i / 1024) % 512));
            pixels[i] = (byte)v;
            pixels[i + 1] = (byte)(v >> 8);
        }

        var count = 0;
        for (var s = 1; s <= series; s++)
        {
            var dir = Path.Combine(folder, $"series{s}");
            Directory.CreateDirectory(dir);
            for (var n = 1; n <= slices; n++)
            {
                var d = BuildCt(s, n, pixels);
                Save(d, Path.Combine(dir, $"ct{s}_{n:D4}.dcm"));
                count++;
            }
        }

        return count;
    }

    /// <summary>One CT slice of series <paramref name="s"/>, number <paramref name="n"/> (about 2.6 KB of header).</summary>
    public static DicomDataset BuildCt(int s, int n, byte[] pixels)
    {
        var d = new DicomDataset();
            Patient(d, 1);
            d.SetString(DicomTags.ImageType, DicomVR.CS, "ORIGINAL\\PRIMARY\\AXIAL");
            d.SetString(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
            d.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, Uid(UidRoot, 1, s, n));
            d.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, Uid(UidRoot, 1));
            d.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, Uid(UidRoot, 1, s));
            d.SetString(DicomTags.FrameOfReferenceUID, DicomVR.UI, Uid(UidRoot, 9, 1));
            d.SetString(DicomTags.Modality, DicomVR.CS, "CT");
            d.SetString(DicomTags.SeriesDescription, DicomVR.LO, $"AXIAL {s * 1.25:0.00} MM");
            d.SetString(DicomTags.SeriesNumber, DicomVR.IS, s.ToString(CultureInfo.InvariantCulture));
            d.SetString(DicomTags.InstanceNumber, DicomVR.IS, n.ToString(CultureInfo.InvariantCulture));
            d.SetString(DicomTags.BodyPartExamined, DicomVR.CS, "CHEST");
            d.SetString(DicomTags.SliceThickness, DicomVR.DS, "1.25");
            d.SetString(new DicomTag(0x00180060), DicomVR.DS, "120");
            d.SetString(new DicomTag(0x00181150), DicomVR.IS, "1000");
            d.SetString(new DicomTag(0x00181151), DicomVR.IS, "250");
            d.SetString(new DicomTag(0x00181210), DicomVR.SH, "STANDARD");
            d.SetString(DicomTags.ImagePositionPatient, DicomVR.DS, $"-250\\-250\\{-n * 1.25:0.00}");
            d.SetString(DicomTags.ImageOrientationPatient, DicomVR.DS, "1\\0\\0\\0\\1\\0");
            d.SetString(new DicomTag(0x00201041), DicomVR.DS, $"{-n * 1.25:0.00}");
            d.SetValues<ushort>(DicomTags.SamplesPerPixel, DicomVR.US, 1);
            d.SetString(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
            d.SetValues<ushort>(DicomTags.Rows, DicomVR.US, 512);
            d.SetValues<ushort>(DicomTags.Columns, DicomVR.US, 512);
            d.SetString(DicomTags.PixelSpacing, DicomVR.DS, "0.976562\\0.976562");
            d.SetValues<ushort>(DicomTags.BitsAllocated, DicomVR.US, 16);
            d.SetValues<ushort>(DicomTags.BitsStored, DicomVR.US, 16);
            d.SetValues<ushort>(DicomTags.HighBit, DicomVR.US, 15);
            d.SetValues<ushort>(DicomTags.PixelRepresentation, DicomVR.US, 1);
            d.SetString(DicomTags.WindowCenter, DicomVR.DS, "40");
            d.SetString(DicomTags.WindowWidth, DicomVR.DS, "400");
            d.SetString(DicomTags.RescaleIntercept, DicomVR.DS, "-1024");
            d.SetString(DicomTags.RescaleSlope, DicomVR.DS, "1");
            d.Add(new DicomSequence(DicomTags.ReferencedImageSequence,
                Item(i => i.SetString(DicomTags.ReferencedSOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2"),
                     i => i.SetString(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, Uid(UidRoot, 1, s, Math.Max(1, n - 1)))),
                Item(i => i.SetString(DicomTags.ReferencedSOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2"),
                     i => i.SetString(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, Uid(UidRoot, 1, s, n + 1)))));
            d.Add(new DicomSequence(new DicomTag(0x00081032), // ProcedureCodeSequence
                Item(i => i.SetString(new DicomTag(0x00080100), DicomVR.SH, "CTTAP"),
                     i => i.SetString(new DicomTag(0x00080102), DicomVR.SH, "99SYN"),
                     i => i.SetString(new DicomTag(0x00080104), DicomVR.LO, "CT thorax abdomen pelvis"),
                     i => i.Add(new DicomSequence(new DicomTag(0x00080121), Code("T-D4000", "SRT", "Abdomen"))))));
            d.Add(new DicomSequence(new DicomTag(0x00400275), // RequestAttributesSequence
                Item(i => i.SetString(new DicomTag(0x00400007), DicomVR.LO, "CT CHEST ABDOMEN PELVIS"),
                     i => i.SetString(new DicomTag(0x00400009), DicomVR.SH, "SPS1"),
                     i => i.SetString(new DicomTag(0x00401001), DicomVR.SH, "RP1"))));
            Private(d);
            d.Add(new DicomValueElement(DicomTags.PixelData, DicomVR.OW, pixels));
        return d;
    }

    private static int WriteEnhancedMr(string folder)
    {
        const int frames = 300;
        Directory.CreateDirectory(folder);
        var pixels = new byte[frames * 256 * 256 * 2];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(i * 7);
        }

        for (var f = 1; f <= 5; f++)
        {
            var d = BuildEnhancedMr(f, frames, pixels);
            Save(d, Path.Combine(folder, $"mr-enh{f}.dcm"));
        }

        return 5;
    }

    /// <summary>One enhanced MR file with a per-frame functional groups item per frame.</summary>
    public static DicomDataset BuildEnhancedMr(int f, int frames, byte[] pixels)
    {
        var d = new DicomDataset();
            Patient(d, 2);
            d.SetString(DicomTags.ImageType, DicomVR.CS, "ORIGINAL\\PRIMARY\\M\\NONE");
            d.SetString(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.4.1");
            d.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, Uid(UidRoot, 2, f));
            d.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, Uid(UidRoot, 2));
            d.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, Uid(UidRoot, 2, f, 1));
            d.SetString(DicomTags.FrameOfReferenceUID, DicomVR.UI, Uid(UidRoot, 9, 2));
            d.SetString(DicomTags.Modality, DicomVR.CS, "MR");
            d.SetString(DicomTags.SeriesNumber, DicomVR.IS, f.ToString(CultureInfo.InvariantCulture));
            d.SetString(DicomTags.InstanceNumber, DicomVR.IS, "1");
            d.SetString(DicomTags.NumberOfFrames, DicomVR.IS, frames.ToString(CultureInfo.InvariantCulture));
            d.SetValues<ushort>(DicomTags.SamplesPerPixel, DicomVR.US, 1);
            d.SetString(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
            d.SetValues<ushort>(DicomTags.Rows, DicomVR.US, 256);
            d.SetValues<ushort>(DicomTags.Columns, DicomVR.US, 256);
            d.SetValues<ushort>(DicomTags.BitsAllocated, DicomVR.US, 16);
            d.SetValues<ushort>(DicomTags.BitsStored, DicomVR.US, 12);
            d.SetValues<ushort>(DicomTags.HighBit, DicomVR.US, 11);
            d.SetValues<ushort>(DicomTags.PixelRepresentation, DicomVR.US, 0);
            d.Add(new DicomSequence(DicomTags.SharedFunctionalGroupsSequence, Item(
                s => s.Add(new DicomSequence(new DicomTag(0x00289110), Item( // PixelMeasuresSequence
                    p => p.SetString(DicomTags.PixelSpacing, DicomVR.DS, "0.9375\\0.9375"),
                    p => p.SetString(DicomTags.SliceThickness, DicomVR.DS, "3")))),
                s => s.Add(new DicomSequence(new DicomTag(0x00189112), Item( // MRTimingAndRelatedParametersSequence
                    p => p.SetString(new DicomTag(0x00180080), DicomVR.DS, "4000")))))));
            var perFrame = new DicomSequence(DicomTags.PerFrameFunctionalGroupsSequence);
            for (var i = 1; i <= frames; i++)
            {
                var frame = i;
                perFrame.Items.Add(Item(
                    p => p.Add(new DicomSequence(new DicomTag(0x00209111), Item( // FrameContentSequence
                        c => c.SetValues<uint>(new DicomTag(0x00209157), DicomVR.UL, 1u, (uint)frame),
                        c => c.SetValues<uint>(new DicomTag(0x00209128), DicomVR.UL, (uint)frame)))),
                    p => p.Add(new DicomSequence(new DicomTag(0x00209113), Item( // PlanePositionSequence
                        c => c.SetString(DicomTags.ImagePositionPatient, DicomVR.DS, $"-120\\-120\\{frame * 3.0:0.0}")))),
                    p => p.Add(new DicomSequence(new DicomTag(0x00209116), Item( // PlaneOrientationSequence
                        c => c.SetString(DicomTags.ImageOrientationPatient, DicomVR.DS, "1\\0\\0\\0\\1\\0")))),
                    p => p.Add(new DicomSequence(new DicomTag(0x00289145), Item( // PixelValueTransformationSequence
                        c => c.SetString(DicomTags.RescaleIntercept, DicomVR.DS, "0"),
                        c => c.SetString(DicomTags.RescaleSlope, DicomVR.DS, "1"),
                        c => c.SetString(new DicomTag(0x00281054), DicomVR.LO, "US")))),
                    p => p.Add(new DicomSequence(new DicomTag(0x00189226), Item( // MRImageFrameTypeSequence
                        c => c.SetString(new DicomTag(0x00089007), DicomVR.CS, "ORIGINAL\\PRIMARY\\M\\NONE"))))));
            }

            d.Add(perFrame);
            d.Add(new DicomValueElement(DicomTags.PixelData, DicomVR.OW, pixels));
        return d;
    }

    private static int WriteSmall(string folder)
    {
        var count = 0;
        for (var dir = 0; dir < 20; dir++)
        {
            var path = Path.Combine(folder, $"folder{dir:D2}");
            Directory.CreateDirectory(path);
            for (var n = 0; n < 1000; n++)
            {
                Save(BuildSr(dir, n), Path.Combine(path, $"sr{n:D4}.dcm"));
                count++;
            }
        }

        return count;
    }

    /// <summary>Basic Text SR <paramref name="n"/> of folder <paramref name="dir"/> of the small corpus (about 2.4 KB, six findings).</summary>
    public static DicomDataset BuildSr(int dir, int n)
    {
        var d = new DicomDataset();
        Patient(d, 100 + dir);
        d.SetString(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.88.11");
        d.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, Uid(UidRoot, 3, dir, n));
        d.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, Uid(UidRoot, 3, dir));
        d.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, Uid(UidRoot, 3, dir, 0));
        d.SetString(DicomTags.Modality, DicomVR.CS, "SR");
        d.SetString(DicomTags.SeriesNumber, DicomVR.IS, "1");
        d.SetString(DicomTags.InstanceNumber, DicomVR.IS, (n + 1).ToString(CultureInfo.InvariantCulture));
        d.SetString(DicomTags.ContentDate, DicomVR.DA, "20240316");
        d.SetString(DicomTags.ContentTime, DicomVR.TM, "093000");
        d.SetString(new DicomTag(0x0040A040), DicomVR.CS, "CONTAINER");
        d.Add(new DicomSequence(new DicomTag(0x0040A043), Code("18748-4", "LN", "Diagnostic Imaging Report")));
        d.SetString(new DicomTag(0x0040A050), DicomVR.CS, "SEPARATE");
        d.SetString(new DicomTag(0x0040A491), DicomVR.CS, "COMPLETE");
        d.SetString(new DicomTag(0x0040A493), DicomVR.CS, "UNVERIFIED");
        var content = new DicomSequence(DicomTags.ContentSequence);
        for (var k = 0; k < 6; k++)
        {
            var index = k;
            content.Items.Add(Item(
                c => c.SetString(new DicomTag(0x0040A010), DicomVR.CS, "CONTAINS"),
                c => c.SetString(new DicomTag(0x0040A040), DicomVR.CS, "TEXT"),
                c => c.Add(new DicomSequence(new DicomTag(0x0040A043), Code("121071", "DCM", "Finding"))),
                c => c.SetString(new DicomTag(0x0040A160), DicomVR.UT,
                    $"Finding {index + 1}: no focal lesion in segment {index + 1}; stable compared with the prior examination of 2023.")));
        }

        d.Add(content);
        return d;
    }
}
