using System.Globalization;
using System.Numerics;
using ImagingRepo.Dicom;

namespace ImagingRepo.Inference.Tests;

/// <summary>
/// Writes CT series with known geometry: every slice's position is origin + k × spacing × normal, and every stored pixel
/// is <see cref="Hu"/> of its patient-space position, less the rescale intercept.
/// </summary>
internal sealed record SyntheticCt
{
    public int Rows { get; init; } = 32;

    public int Columns { get; init; } = 32;

    public int Slices { get; init; } = 12;

    public double PixelSpacing { get; init; } = 1.5;

    public double SliceSpacing { get; init; } = 2.5;

    public Vector3 Origin { get; init; } = new(-24, -24, 100);

    public Vector3 RowDirection { get; init; } = Vector3.UnitX;

    public Vector3 ColumnDirection { get; init; } = Vector3.UnitY;

    public string Modality { get; init; } = "CT";

    public string SeriesDescription { get; init; } = "Abdomen 2.5mm";

    public string StudyUid { get; init; } = "2.25.1001";

    public string SeriesUid { get; init; } = "2.25.2001";

    public string FrameOfReferenceUid { get; init; } = "2.25.3001";

    public int RescaleIntercept { get; init; } = -1024;

    /// <summary>Slice indices left out (a gap), for the bad-input tests.</summary>
    public IReadOnlySet<int> Missing { get; init; } = new HashSet<int>();

    /// <summary>Writes files in a scrambled name order, so nothing may rely on names for slice order.</summary>
    public bool ScrambleNames { get; init; } = true;

    /// <summary>The HU of a patient-space point: a bright ball (300 HU) of radius 12 mm around the volume's centre in fat (-100 HU).</summary>
    public Func<Vector3, double>? Hu { get; init; }

    public Vector3 Normal => Vector3.Normalize(Vector3.Cross(RowDirection, ColumnDirection));

    public Vector3 Centre => Origin + (RowDirection * (float)((Columns - 1) * PixelSpacing / 2)) + (ColumnDirection * (float)((Rows - 1) * PixelSpacing / 2)) + (Normal * (float)((Slices - 1) * SliceSpacing / 2));

    public string SopInstanceUid(int slice) => $"{SeriesUid}.{slice + 1}";

    public Vector3 Position(int slice) => Origin + (Normal * (float)(slice * SliceSpacing));

    /// <summary>Patient-space position of pixel (column, row) of a slice.</summary>
    public Vector3 PointAt(int slice, int row, int column) =>
        Position(slice) + (RowDirection * (float)(column * PixelSpacing)) + (ColumnDirection * (float)(row * PixelSpacing));

    public List<string> Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        for (var k = 0; k < Slices; k++)
        {
            if (Missing.Contains(k))
            {
                continue;
            }

            var name = ScrambleNames ? $"IM{(k * 7919 % 1000):D4}_{k}.dcm" : $"IM{k:D4}.dcm";
            var path = Path.Combine(folder, name);
            new DicomFile(Slice(k)).Save(path);
            files.Add(path);
        }

        return files;
    }

    public DicomDataset Slice(int k)
    {
        var d = new DicomDataset();
        d.SetString(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        d.SetString(DicomTags.ImageType, DicomVR.CS, "ORIGINAL\\PRIMARY\\AXIAL");
        d.SetString(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
        d.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, SopInstanceUid(k));
        d.SetString(DicomTags.StudyDate, DicomVR.DA, "20240315");
        d.SetString(DicomTags.StudyTime, DicomVR.TM, "101500");
        d.SetString(DicomTags.AccessionNumber, DicomVR.SH, "A1");
        d.SetString(DicomTags.Modality, DicomVR.CS, Modality);
        d.SetString(DicomTags.Manufacturer, DicomVR.LO, "ImagingRepo Synthetic");
        d.SetString(DicomTags.ReferringPhysicianName, DicomVR.PN, string.Empty);
        d.SetString(DicomTags.SeriesDescription, DicomVR.LO, SeriesDescription);
        d.SetString(DicomTags.PatientName, DicomVR.PN, "SUBJ^0001");
        d.SetString(DicomTags.PatientID, DicomVR.LO, "SUBJ0001");
        d.SetString(DicomTags.PatientBirthDate, DicomVR.DA, string.Empty);
        d.SetString(DicomTags.PatientSex, DicomVR.CS, "O");
        d.SetString(DicomTags.SliceThickness, DicomVR.DS, Ds(SliceSpacing));
        d.SetString(DicomTags.KVP, DicomVR.DS, "120");
        d.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, StudyUid);
        d.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, SeriesUid);
        d.SetString(DicomTags.StudyID, DicomVR.SH, "1");
        d.SetString(DicomTags.SeriesNumber, DicomVR.IS, "3");
        d.SetString(DicomTags.InstanceNumber, DicomVR.IS, (k + 1).ToString(CultureInfo.InvariantCulture));
        var p = Position(k);
        d.SetString(DicomTags.ImagePositionPatient, DicomVR.DS, $"{Ds(p.X)}\\{Ds(p.Y)}\\{Ds(p.Z)}");
        d.SetString(DicomTags.ImageOrientationPatient, DicomVR.DS, $"{Ds(RowDirection.X)}\\{Ds(RowDirection.Y)}\\{Ds(RowDirection.Z)}\\{Ds(ColumnDirection.X)}\\{Ds(ColumnDirection.Y)}\\{Ds(ColumnDirection.Z)}");
        d.SetString(DicomTags.FrameOfReferenceUID, DicomVR.UI, FrameOfReferenceUid);
        d.SetString(DicomTags.PositionReferenceIndicator, DicomVR.LO, string.Empty);
        d.SetValues<ushort>(DicomTags.SamplesPerPixel, DicomVR.US, 1);
        d.SetString(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        d.SetValues<ushort>(DicomTags.Rows, DicomVR.US, (ushort)Rows);
        d.SetValues<ushort>(DicomTags.Columns, DicomVR.US, (ushort)Columns);
        d.SetString(DicomTags.PixelSpacing, DicomVR.DS, $"{Ds(PixelSpacing)}\\{Ds(PixelSpacing)}");
        d.SetValues<ushort>(DicomTags.BitsAllocated, DicomVR.US, 16);
        d.SetValues<ushort>(DicomTags.BitsStored, DicomVR.US, 16);
        d.SetValues<ushort>(DicomTags.HighBit, DicomVR.US, 15);
        d.SetValues<ushort>(DicomTags.PixelRepresentation, DicomVR.US, 1);
        d.SetString(DicomTags.RescaleIntercept, DicomVR.DS, RescaleIntercept.ToString(CultureInfo.InvariantCulture));
        d.SetString(DicomTags.RescaleSlope, DicomVR.DS, "1");
        d.SetString(DicomTags.RescaleType, DicomVR.LO, "HU");
        var pixels = new short[Rows * Columns];
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns; c++)
            {
                pixels[(r * Columns) + c] = (short)Math.Round((Hu ?? DefaultHu)(PointAt(k, r, c)) - RescaleIntercept);
            }
        }

        d.SetValues<short>(DicomTags.PixelData, DicomVR.OW, pixels);
        return d;
    }

    private double DefaultHu(Vector3 point) => Vector3.Distance(point, Centre) <= 12 ? 300 : -100;

    private static string Ds(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
