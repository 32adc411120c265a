namespace ImagingRepo.Inference.Selection;

/// <summary>The anatomical plane of a series' slices, from Image Orientation (Patient).</summary>
public enum PlaneOrientation
{
    /// <summary>Slices across the head-feet axis (normal mostly along z).</summary>
    Axial = 0,

    /// <summary>Slices across the front-back axis (normal mostly along y).</summary>
    Coronal,

    /// <summary>Slices across the left-right axis (normal mostly along x).</summary>
    Sagittal,

    /// <summary>No axis dominates the normal (its largest component is below <see cref="PlaneOrientations.ObliqueLimit"/>).</summary>
    Oblique,
}

/// <summary>Classifies Image Orientation (Patient) into a plane.</summary>
public static class PlaneOrientations
{
    /// <summary>
    /// The largest component of the unit normal below which a plane counts as oblique: 0.8, about 37° off the nearest
    /// axis, so that a tilted CT gantry (up to 30°) still reads as axial.
    /// </summary>
    public const double ObliqueLimit = 0.8;

    /// <summary>The plane of six direction cosines (row then column), or null when they are not two non-parallel vectors.</summary>
    /// <param name="orientation">Image Orientation (Patient): row x, y, z, column x, y, z.</param>
    /// <returns>The plane, or null.</returns>
    public static PlaneOrientation? Classify(ReadOnlySpan<double> orientation)
    {
        if (orientation.Length != 6)
        {
            return null;
        }

        var nx = (orientation[1] * orientation[5]) - (orientation[2] * orientation[4]);
        var ny = (orientation[2] * orientation[3]) - (orientation[0] * orientation[5]);
        var nz = (orientation[0] * orientation[4]) - (orientation[1] * orientation[3]);
        var length = Math.Sqrt((nx * nx) + (ny * ny) + (nz * nz));
        if (!(length > 1e-6))
        {
            return null;
        }

        double ax = Math.Abs(nx) / length, ay = Math.Abs(ny) / length, az = Math.Abs(nz) / length;
        var max = Math.Max(ax, Math.Max(ay, az));
        if (max < ObliqueLimit)
        {
            return PlaneOrientation.Oblique;
        }

        return max == az ? PlaneOrientation.Axial : max == ay ? PlaneOrientation.Coronal : PlaneOrientation.Sagittal;
    }
}
