namespace ImagingRepo.Dicom;

/// <summary>
/// The tags of the data dictionary by keyword, one member per non-retired attribute of PS3.6 (generated into
/// <c>DicomTags.Generated.cs</c> by <c>eng/generate-dicom-dictionary.py</c>). Retired keywords resolve through
/// <see cref="DicomDictionary.TryGetTag(string, out DicomTag)"/>.
/// </summary>
public static partial class DicomTags;
