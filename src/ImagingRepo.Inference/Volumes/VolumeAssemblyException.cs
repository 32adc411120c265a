namespace ImagingRepo.Inference.Volumes;

/// <summary>What is wrong with a series that cannot be a volume.</summary>
public enum VolumeProblem
{
    /// <summary>The files belong to more than one series.</summary>
    MixedSeries = 0,

    /// <summary>Slices have different orientations.</summary>
    InconsistentOrientation,

    /// <summary>Slices have different sizes or pixel spacings.</summary>
    InconsistentGeometry,

    /// <summary>Slices are missing: a step along the normal is a multiple of the usual one.</summary>
    MissingSlices,

    /// <summary>Steps along the normal differ beyond the tolerance, without being a whole gap.</summary>
    IrregularSpacing,

    /// <summary>Two slices lie at the same position.</summary>
    DuplicatePosition,

    /// <summary>A file lacks the attributes of a slice (position, orientation, spacing), or is multi-frame, colour or not an image.</summary>
    NotASlice,

    /// <summary>A slice's pixel data cannot be decoded.</summary>
    Undecodable,

    /// <summary>The series has no slice at all.</summary>
    Empty,
}

/// <summary>A series cannot be assembled into a volume; nothing is written for it.</summary>
public sealed class VolumeAssemblyException : InferenceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problem">What is wrong.</param>
    /// <param name="series">The series folder or UID concerned.</param>
    /// <param name="detail">The specifics (which files, which values).</param>
    /// <param name="innerException">The underlying error, or null.</param>
    public VolumeAssemblyException(VolumeProblem problem, string series, string detail, Exception? innerException = null)
        : base($"{series}: {detail}", innerException)
    {
        Problem = problem;
        Series = series;
    }

    /// <summary>What is wrong.</summary>
    public VolumeProblem Problem { get; }

    /// <summary>The series folder or UID concerned.</summary>
    public string Series { get; }
}
