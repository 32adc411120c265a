namespace ImagingRepo.Dicom.Imaging;

/// <summary>The modality LUT as a linear rescale: <c>output = stored × Slope + Intercept</c>, in the units of <see cref="Type"/>.</summary>
/// <param name="Slope">Rescale Slope (0028,1053); 1 when absent.</param>
/// <param name="Intercept">Rescale Intercept (0028,1052); 0 when absent.</param>
/// <param name="Type">Rescale Type (0028,1054), e.g. <c>HU</c>; null when absent.</param>
public readonly record struct DicomRescale(double Slope, double Intercept, string? Type)
{
    /// <summary>The identity: stored values are the output values.</summary>
    public static DicomRescale Identity { get; } = new(1, 0, null);

    /// <summary>True when the rescale leaves values unchanged.</summary>
    public bool IsIdentity => Slope == 1 && Intercept == 0;

    /// <summary>Applies the rescale to one stored value.</summary>
    /// <param name="stored">The stored value.</param>
    /// <returns>The output value.</returns>
    public double Apply(double stored) => (stored * Slope) + Intercept;

    /// <summary>Reads the rescale from a dataset (a top-level dataset or a Pixel Value Transformation item); null when the dataset has neither slope nor intercept.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <returns>The rescale, or null.</returns>
    public static DicomRescale? FromDataset(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var hasSlope = dataset.TryGetDouble(DicomTags.RescaleSlope, out var slope);
        var hasIntercept = dataset.TryGetDouble(DicomTags.RescaleIntercept, out var intercept);
        if (!hasSlope && !hasIntercept)
        {
            return null;
        }

        // a slope of 0 (or a garbled one) would flatten the image; read it as the identity, as viewers do
        if (!hasSlope || slope == 0 || !double.IsFinite(slope))
        {
            slope = 1;
        }

        if (!double.IsFinite(intercept))
        {
            intercept = 0;
        }

        return new DicomRescale(slope, intercept, dataset.GetString(DicomTags.RescaleType) is { Length: > 0 } type ? type : null);
    }
}
