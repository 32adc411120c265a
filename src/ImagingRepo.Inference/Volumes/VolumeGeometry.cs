namespace ImagingRepo.Inference.Volumes;

/// <summary>
/// Where a volume's voxels lie in patient space: voxel (i, j, k) — column, row, slice — is at
/// <c>Origin + i·SpacingX·RowDirection + j·SpacingY·ColumnDirection + k·SpacingZ·Normal</c>.
/// </summary>
/// <param name="SizeX">Columns.</param>
/// <param name="SizeY">Rows.</param>
/// <param name="SizeZ">Slices.</param>
/// <param name="SpacingX">mm between columns.</param>
/// <param name="SpacingY">mm between rows.</param>
/// <param name="SpacingZ">mm between slices.</param>
/// <param name="Origin">Centre of voxel (0, 0, 0).</param>
/// <param name="RowDirection">Unit direction of increasing column index.</param>
/// <param name="ColumnDirection">Unit direction of increasing row index.</param>
/// <param name="Normal">Unit direction of increasing slice index.</param>
public sealed record VolumeGeometry(
    int SizeX, int SizeY, int SizeZ,
    double SpacingX, double SpacingY, double SpacingZ,
    Vector3D Origin, Vector3D RowDirection, Vector3D ColumnDirection, Vector3D Normal)
{
    /// <summary>The number of voxels.</summary>
    public long VoxelCount => (long)SizeX * SizeY * SizeZ;

    /// <summary>The patient-space position of a (possibly fractional) voxel index.</summary>
    /// <param name="i">Column.</param>
    /// <param name="j">Row.</param>
    /// <param name="k">Slice.</param>
    /// <returns>The position.</returns>
    public Vector3D IndexToPatient(double i, double j, double k) =>
        Origin + (RowDirection * (i * SpacingX)) + (ColumnDirection * (j * SpacingY)) + (Normal * (k * SpacingZ));

    /// <summary>The fractional voxel index of a patient-space position.</summary>
    /// <param name="point">The position.</param>
    /// <returns>(column, row, slice).</returns>
    public (double I, double J, double K) PatientToIndex(Vector3D point)
    {
        var d = point - Origin;
        return (Vector3D.Dot(d, RowDirection) / SpacingX, Vector3D.Dot(d, ColumnDirection) / SpacingY, Vector3D.Dot(d, Normal) / SpacingZ);
    }

    /// <summary>
    /// The geometry of the same extent sampled with another number of voxels, voxel centres aligned as a resize does
    /// (the outer voxel edges stay where they were).
    /// </summary>
    /// <param name="sizeX">New columns.</param>
    /// <param name="sizeY">New rows.</param>
    /// <param name="sizeZ">New slices.</param>
    /// <returns>The geometry.</returns>
    public VolumeGeometry Resized(int sizeX, int sizeY, int sizeZ)
    {
        double sx = SpacingX * SizeX / sizeX, sy = SpacingY * SizeY / sizeY, sz = SpacingZ * SizeZ / sizeZ;
        var origin = Origin + (RowDirection * ((sx - SpacingX) / 2)) + (ColumnDirection * ((sy - SpacingY) / 2)) + (Normal * ((sz - SpacingZ) / 2));
        return this with { SizeX = sizeX, SizeY = sizeY, SizeZ = sizeZ, SpacingX = sx, SpacingY = sy, SpacingZ = sz, Origin = origin };
    }
}
