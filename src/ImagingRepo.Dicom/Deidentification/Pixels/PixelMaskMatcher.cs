namespace ImagingRepo.Dicom.Deidentification.Pixels;

/// <summary>
/// Finds the policy's pixel mask rules that match an instance (modality, manufacturer, size) and wraps its pixel data so
/// that the matching rectangles are blanked as it is written.
/// </summary>
internal static class PixelMaskMatcher
{
    /// <summary>
    /// Applies the rules of <paramref name="rules"/> that match <paramref name="dataset"/>. Returns whether its pixels were
    /// cleaned, or why a matching rule could not be applied (compressed pixel data, a layout the mask does not support).
    /// </summary>
    public static (bool Cleaned, string? Problem) Apply(IReadOnlyList<PixelMaskRule> rules, DicomDataset dataset)
    {
        if (rules.Count == 0 || dataset[DicomTags.PixelData] is not { } pixels)
        {
            return (false, null);
        }

        var modality = dataset.GetString(DicomTags.Modality)?.Trim();
        var manufacturer = dataset.GetString(DicomTags.Manufacturer)?.Trim();
        dataset.TryGetInt32(DicomTags.Rows, out var rows);
        dataset.TryGetInt32(DicomTags.Columns, out var columns);
        var rectangles = new List<PixelRectangle>();
        foreach (var rule in rules)
        {
            if ((rule.Modality is null || string.Equals(rule.Modality, modality, StringComparison.OrdinalIgnoreCase))
                && (rule.Manufacturer is null || string.Equals(rule.Manufacturer, manufacturer, StringComparison.OrdinalIgnoreCase))
                && (rule.Rows is null || rule.Rows == rows)
                && (rule.Columns is null || rule.Columns == columns))
            {
                rectangles.AddRange(rule.Rectangles);
            }
        }

        if (rectangles.Count == 0)
        {
            return (false, null);
        }

        if (pixels is not DicomValueElement native)
        {
            return (false, "a pixel mask rule matches but the pixel data is compressed; only uncompressed pixel data can be masked");
        }

        dataset.TryGetInt32(DicomTags.BitsAllocated, out var bitsAllocated);
        dataset.TryGetInt32(DicomTags.SamplesPerPixel, out var samples);
        dataset.TryGetInt32(DicomTags.PlanarConfiguration, out var planar);
        var mask = PixelMask.TryCreate(rows, columns, bitsAllocated, samples == 0 ? 1 : samples, planar, rectangles, out var reason);
        if (mask is null)
        {
            return (false, "a pixel mask rule matches but " + reason);
        }

        dataset.Add(MaskedValueSource.Wrap(native, mask));
        return (true, null);
    }
}
