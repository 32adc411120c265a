namespace ImagingRepo.Dicom.Deidentification;

/// <summary>
/// The ten options of the Basic Application Level Confidentiality Profile (PS3.15 Table E.1-1 columns).
/// Each relaxes or tightens the Basic Profile for a class of attributes.
/// </summary>
[Flags]
#pragma warning disable CA1711 // "Options" is the standard's own word for these
public enum DeidentificationOptions
#pragma warning restore CA1711
{
    /// <summary>The Basic Profile alone.</summary>
    None = 0,

    /// <summary>Retain Safe Private Option: keep private attributes on the project's allow-list (creator + element).</summary>
    RetainSafePrivate = 1 << 0,

    /// <summary>Retain UIDs Option: keep UIDs instead of replacing them.</summary>
    RetainUids = 1 << 1,

    /// <summary>Retain Device Identity Option: keep device serial numbers, station names and the like.</summary>
    RetainDeviceIdentity = 1 << 2,

    /// <summary>Retain Institution Identity Option: keep institution names, addresses and departments.</summary>
    RetainInstitutionIdentity = 1 << 3,

    /// <summary>Retain Patient Characteristics Option: keep age, sex, size, weight and the like.</summary>
    RetainPatientCharacteristics = 1 << 4,

    /// <summary>Retain Longitudinal Temporal Information with Full Dates Option: keep dates and times unchanged.</summary>
    RetainLongitudinalFullDates = 1 << 5,

    /// <summary>Retain Longitudinal Temporal Information with Modified Dates Option: shift every date of a patient by one keyed offset.</summary>
    RetainLongitudinalModifiedDates = 1 << 6,

    /// <summary>Clean Descriptors Option: keep descriptions and comments after removing identifying text.</summary>
    CleanDescriptors = 1 << 7,

    /// <summary>Clean Structured Content Option: keep structured report content after removing identifying text.</summary>
    CleanStructuredContent = 1 << 8,

    /// <summary>Clean Graphics Option: keep graphics, overlays and curves after removing identifying text.</summary>
    CleanGraphics = 1 << 9,
}
