using System.Globalization;

namespace ImagingRepo.Inference.Volumes;

/// <summary>A point or direction in patient space (mm, DICOM LPS axes), in double precision.</summary>
/// <param name="X">Towards the patient's left.</param>
/// <param name="Y">Towards the patient's back.</param>
/// <param name="Z">Towards the patient's head.</param>
public readonly record struct Vector3D(double X, double Y, double Z)
{
    /// <summary>The length.</summary>
    public double Length => Math.Sqrt(Dot(this, this));

    /// <summary>Sum.</summary>
    /// <param name="a">First.</param>
    /// <param name="b">Second.</param>
    /// <returns>The sum.</returns>
    public static Vector3D operator +(Vector3D a, Vector3D b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    /// <summary>Difference.</summary>
    /// <param name="a">First.</param>
    /// <param name="b">Second.</param>
    /// <returns>The difference.</returns>
    public static Vector3D operator -(Vector3D a, Vector3D b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    /// <summary>Scaling.</summary>
    /// <param name="a">The vector.</param>
    /// <param name="s">The factor.</param>
    /// <returns>The scaled vector.</returns>
    public static Vector3D operator *(Vector3D a, double s) => new(a.X * s, a.Y * s, a.Z * s);

    /// <summary>Dot product.</summary>
    /// <param name="a">First.</param>
    /// <param name="b">Second.</param>
    /// <returns>The dot product.</returns>
    public static double Dot(Vector3D a, Vector3D b) => (a.X * b.X) + (a.Y * b.Y) + (a.Z * b.Z);

    /// <summary>Cross product.</summary>
    /// <param name="a">First.</param>
    /// <param name="b">Second.</param>
    /// <returns>The cross product.</returns>
    public static Vector3D Cross(Vector3D a, Vector3D b) => new((a.Y * b.Z) - (a.Z * b.Y), (a.Z * b.X) - (a.X * b.Z), (a.X * b.Y) - (a.Y * b.X));

    /// <summary>The unit vector in this direction.</summary>
    /// <returns>The unit vector.</returns>
    public Vector3D Normalized() => Length is > 0 and var length ? this * (1 / length) : this;

    /// <summary>The three values as DICOM decimal strings joined with backslashes.</summary>
    /// <returns>The text.</returns>
    public string ToDicomString() => $"{Ds(X)}\\{Ds(Y)}\\{Ds(Z)}";

    /// <summary>A value as a DICOM decimal string (at most 16 characters).</summary>
    internal static string Ds(double value)
    {
        var text = value.ToString("0.#########", CultureInfo.InvariantCulture);
        for (var digits = 9; text.Length > 16 && digits > 0; digits--)
        {
            text = Math.Round(value, digits).ToString("0.#########", CultureInfo.InvariantCulture);
        }

        return text == "-0" ? "0" : text;
    }
}
