using System.Globalization;
using ImagingRepo.Dicom;

namespace Quickstart;

/// <summary>Writes a small synthetic CT study carrying identifying data, as a hospital would hold it.</summary>
internal static class SyntheticStudy
{
    /// <summary>The planted patient name; it must not survive de-identification.</summary>
    public const string PatientName = "Doe^Jane^Quickstart";

    private const string UidRoot = "1.2.826.0.1.3680043.10.1394";

    /// <summary>
    /// Writes <paramref name="series"/> × <paramref name="instancesPerSeries"/> axial CT slices of 64×64 pixels, 0.8 mm
    /// apart in-plane and 2.5 mm between slices: air (-1000 HU) on the left rising to soft tissue on the right.
    /// </summary>
    public static List<string> Write(string folder, int series, int instancesPerSeries)
    {
        var pixels = new short[64 * 64];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (short)((i % 64) * 16 - 1000);
        }

        var files = new List<string>();
        for (var s = 1; s <= series; s++)
        {
            for (var n = 1; n <= instancesPerSeries; n++)
            {
                var d = new DicomDataset();
                d.SetString(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
                d.SetString(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
                d.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, $"{UidRoot}.3.{s}.{n}");
                d.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, $"{UidRoot}.1");
                d.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, $"{UidRoot}.2.{s}");
                d.SetString(DicomTags.FrameOfReferenceUID, DicomVR.UI, $"{UidRoot}.4");
                d.SetString(DicomTags.StudyDate, DicomVR.DA, "20240315");
                d.SetString(DicomTags.StudyTime, DicomVR.TM, "101500");
                d.SetString(DicomTags.AccessionNumber, DicomVR.SH, "ACC20240315");
                d.SetString(DicomTags.Modality, DicomVR.CS, "CT");
                d.SetString(DicomTags.Manufacturer, DicomVR.LO, "ImagingRepo Synthetic");
                d.SetString(DicomTags.InstitutionName, DicomVR.LO, "Quickstart General Hospital");
                d.SetString(DicomTags.ReferringPhysicianName, DicomVR.PN, "Referrer^Rita");
                d.SetString(DicomTags.PatientName, DicomVR.PN, PatientName);
                d.SetString(DicomTags.PatientID, DicomVR.LO, "MRN-000123");
                d.SetString(DicomTags.PatientBirthDate, DicomVR.DA, "19640229");
                d.SetString(DicomTags.PatientSex, DicomVR.CS, "F");
                d.SetString(DicomTags.StudyID, DicomVR.SH, "1");
                d.SetString(DicomTags.SeriesNumber, DicomVR.IS, s.ToString(CultureInfo.InvariantCulture));
                d.SetString(DicomTags.InstanceNumber, DicomVR.IS, n.ToString(CultureInfo.InvariantCulture));
                d.SetString(DicomTags.ImageType, DicomVR.CS, "ORIGINAL\\PRIMARY\\AXIAL");
                d.SetString(DicomTags.SliceThickness, DicomVR.DS, "2.5");
                d.SetString(DicomTags.ImagePositionPatient, DicomVR.DS, string.Create(CultureInfo.InvariantCulture, $"-25.6\\-25.6\\{(n - 1) * 2.5}"));
                d.SetString(DicomTags.ImageOrientationPatient, DicomVR.DS, "1\\0\\0\\0\\1\\0");
                d.SetString(DicomTags.PixelSpacing, DicomVR.DS, "0.8\\0.8");
                d.SetValues<ushort>(DicomTags.SamplesPerPixel, DicomVR.US, 1);
                d.SetString(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
                d.SetValues<ushort>(DicomTags.Rows, DicomVR.US, 64);
                d.SetValues<ushort>(DicomTags.Columns, DicomVR.US, 64);
                d.SetValues<ushort>(DicomTags.BitsAllocated, DicomVR.US, 16);
                d.SetValues<ushort>(DicomTags.BitsStored, DicomVR.US, 16);
                d.SetValues<ushort>(DicomTags.HighBit, DicomVR.US, 15);
                d.SetValues<ushort>(DicomTags.PixelRepresentation, DicomVR.US, 1);
                d.SetValues<short>(DicomTags.PixelData, DicomVR.OW, pixels);

                var path = Path.Combine(folder, $"ct_{s}_{n}.dcm");
                new DicomFile(d).Save(path);
                files.Add(path);
            }
        }

        return files;
    }
}
