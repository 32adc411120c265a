namespace ImagingRepo.Dicom.Deidentification.Profile;

/// <summary>A code of CID 7050 "De-identification Method" (coding scheme DCM).</summary>
/// <param name="Value">The code value, e.g. <c>113100</c>.</param>
/// <param name="Meaning">The code meaning.</param>
public readonly record struct DeidentificationMethodCode(string Value, string Meaning)
{
    /// <summary>The coding scheme designator of every CID 7050 code.</summary>
    public const string SchemeDesignator = "DCM";

    /// <summary>113100 Basic Application Confidentiality Profile.</summary>
    public static DeidentificationMethodCode BasicProfile { get; } = new("113100", "Basic Application Confidentiality Profile");

    /// <summary>113101 Clean Pixel Data Option.</summary>
    public static DeidentificationMethodCode CleanPixelData { get; } = new("113101", "Clean Pixel Data Option");

    /// <summary>113102 Clean Recognizable Visual Features Option.</summary>
    public static DeidentificationMethodCode CleanRecognizableVisualFeatures { get; } = new("113102", "Clean Recognizable Visual Features Option");

    /// <summary>113103 Clean Graphics Option.</summary>
    public static DeidentificationMethodCode CleanGraphics { get; } = new("113103", "Clean Graphics Option");

    /// <summary>113104 Clean Structured Content Option.</summary>
    public static DeidentificationMethodCode CleanStructuredContent { get; } = new("113104", "Clean Structured Content Option");

    /// <summary>113105 Clean Descriptors Option.</summary>
    public static DeidentificationMethodCode CleanDescriptors { get; } = new("113105", "Clean Descriptors Option");

    /// <summary>113106 Retain Longitudinal Temporal Information Full Dates Option.</summary>
    public static DeidentificationMethodCode RetainLongitudinalFullDates { get; } = new("113106", "Retain Longitudinal Temporal Information Full Dates Option");

    /// <summary>113107 Retain Longitudinal Temporal Information Modified Dates Option.</summary>
    public static DeidentificationMethodCode RetainLongitudinalModifiedDates { get; } = new("113107", "Retain Longitudinal Temporal Information Modified Dates Option");

    /// <summary>113108 Retain Patient Characteristics Option.</summary>
    public static DeidentificationMethodCode RetainPatientCharacteristics { get; } = new("113108", "Retain Patient Characteristics Option");

    /// <summary>113109 Retain Device Identity Option.</summary>
    public static DeidentificationMethodCode RetainDeviceIdentity { get; } = new("113109", "Retain Device Identity Option");

    /// <summary>113110 Retain UIDs Option.</summary>
    public static DeidentificationMethodCode RetainUids { get; } = new("113110", "Retain UIDs Option");

    /// <summary>113111 Retain Safe Private Option.</summary>
    public static DeidentificationMethodCode RetainSafePrivate { get; } = new("113111", "Retain Safe Private Option");

    /// <summary>113112 Retain Institution Identity Option.</summary>
    public static DeidentificationMethodCode RetainInstitutionIdentity { get; } = new("113112", "Retain Institution Identity Option");

    /// <summary>
    /// The codes to record for <paramref name="options"/>: the Basic Profile first, then one per option in
    /// code order, plus Clean Pixel Data when <paramref name="pixelsCleaned"/>.
    /// </summary>
    public static IReadOnlyList<DeidentificationMethodCode> For(DeidentificationOptions options, bool pixelsCleaned = false)
    {
        var codes = new List<DeidentificationMethodCode>(12) { BasicProfile };
        if (pixelsCleaned)
        {
            codes.Add(CleanPixelData);
        }

        AddIf(codes, options, DeidentificationOptions.CleanGraphics, CleanGraphics);
        AddIf(codes, options, DeidentificationOptions.CleanStructuredContent, CleanStructuredContent);
        AddIf(codes, options, DeidentificationOptions.CleanDescriptors, CleanDescriptors);
        AddIf(codes, options, DeidentificationOptions.RetainLongitudinalFullDates, RetainLongitudinalFullDates);
        AddIf(codes, options, DeidentificationOptions.RetainLongitudinalModifiedDates, RetainLongitudinalModifiedDates);
        AddIf(codes, options, DeidentificationOptions.RetainPatientCharacteristics, RetainPatientCharacteristics);
        AddIf(codes, options, DeidentificationOptions.RetainDeviceIdentity, RetainDeviceIdentity);
        AddIf(codes, options, DeidentificationOptions.RetainUids, RetainUids);
        AddIf(codes, options, DeidentificationOptions.RetainSafePrivate, RetainSafePrivate);
        AddIf(codes, options, DeidentificationOptions.RetainInstitutionIdentity, RetainInstitutionIdentity);
        return codes;
    }

    private static void AddIf(List<DeidentificationMethodCode> codes, DeidentificationOptions options,
        DeidentificationOptions option, DeidentificationMethodCode code)
    {
        if ((options & option) != 0)
        {
            codes.Add(code);
        }
    }
}
