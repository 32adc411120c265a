using ImagingRepo.Dicom;
using ImagingRepo.Inference.Volumes;

namespace ImagingRepo.Inference.Tests;

/// <summary>A <see cref="SourceSeries"/> straight from a <see cref="SyntheticCt"/>, for output tests that do not go through volume assembly.</summary>
internal static class SyntheticSource
{
    public static SourceSeries From(SyntheticCt ct)
    {
        var header = ct.Slice(0);
        header.Remove(DicomTags.PixelData);
        return new SourceSeries
        {
            Header = header,
            Slices = [.. Enumerable.Range(0, ct.Slices).Select(k =>
            {
                var p = ct.Position(k);
                var position = new Vector3D(p.X, p.Y, p.Z);
                return new SourceSlice("1.2.840.10008.5.1.4.1.1.2", ct.SopInstanceUid(k), position, ct.Slice(k).GetString(DicomTags.ImagePositionPatient)!, $"slice{k}.dcm");
            })],
            Rows = ct.Rows,
            Columns = ct.Columns,
            RowDirection = new Vector3D(ct.RowDirection.X, ct.RowDirection.Y, ct.RowDirection.Z),
            ColumnDirection = new Vector3D(ct.ColumnDirection.X, ct.ColumnDirection.Y, ct.ColumnDirection.Z),
            OrientationText = header.GetString(DicomTags.ImageOrientationPatient)!,
            PixelSpacingText = header.GetString(DicomTags.PixelSpacing)!,
            RowSpacing = ct.PixelSpacing,
            ColumnSpacing = ct.PixelSpacing,
            SliceSpacing = ct.SliceSpacing,
            SliceThickness = ct.SliceSpacing,
        };
    }
}
