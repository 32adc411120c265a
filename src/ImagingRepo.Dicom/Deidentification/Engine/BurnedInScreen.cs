namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>
/// Decides whether an instance may show identifying text in its pixels: Burned In Annotation (0028,0301) = YES, or,
/// without that attribute, a high-risk kind (ultrasound, secondary capture and screen captures, derived secondary images).
/// </summary>
internal static class BurnedInScreen
{
    private const string SecondaryCapturePrefix = "1.2.840.10008.5.1.4.1.1.7";

    /// <summary>The reason the instance is at risk, or null when it is not.</summary>
    public static string? Assess(DicomDataset dataset)
    {
        if (!dataset.Contains(DicomTags.PixelData) && !dataset.Contains(DicomTags.FloatPixelData) && !dataset.Contains(DicomTags.DoubleFloatPixelData))
        {
            return null; // no pixels, nothing burned in
        }

        var burnedIn = dataset.GetString(DicomTags.BurnedInAnnotation)?.Trim();
        if (string.Equals(burnedIn, "YES", StringComparison.OrdinalIgnoreCase))
        {
            return "Burned In Annotation (0028,0301) is YES";
        }

        if (string.Equals(burnedIn, "NO", StringComparison.OrdinalIgnoreCase))
        {
            return null; // the modality vouches for clean pixels
        }

        var modality = dataset.GetString(DicomTags.Modality)?.Trim();
        if (string.Equals(modality, "US", StringComparison.OrdinalIgnoreCase))
        {
            return "ultrasound without Burned In Annotation (0028,0301): ultrasound images usually carry burned-in text";
        }

        var sopClass = dataset.GetString(DicomTags.SOPClassUID)?.Trim('\0', ' ');
        if (sopClass is not null && sopClass.StartsWith(SecondaryCapturePrefix, StringComparison.Ordinal))
        {
            return "secondary capture without Burned In Annotation (0028,0301): screen captures may show identifying text";
        }

        var imageType = dataset.GetString(DicomTags.ImageType);
        if (imageType is not null)
        {
            var values = imageType.Split('\\');
            if (values.Length >= 2 && values[0].Trim() == "DERIVED" && values[1].Trim() == "SECONDARY")
            {
                return "Image Type DERIVED\\SECONDARY without Burned In Annotation (0028,0301)";
            }
        }

        return null;
    }
}
