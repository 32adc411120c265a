namespace ImagingRepo.Dicom.Deidentification;

/// <summary>Rewrites an output's preamble and file meta information (group 0002) to match its de-identified dataset.</summary>
internal static class FileMetaRewriter
{
    /// <summary>
    /// Sets the preamble to <paramref name="preamble"/>, the Media Storage SOP Class and Instance UIDs to the dataset's, and
    /// removes the meta elements that could identify the source.
    /// </summary>
    public static void Rewrite(DicomFile file, string newSop, byte[] preamble)
    {
        // systems leave text in the preamble (AE titles, device names): it is never copied
        file.Preamble = preamble;
        var meta = file.FileMetaInformation;
        var sopClass = file.Dataset.GetString(DicomTags.SOPClassUID)?.Trim('\0', ' ') ?? "";
        meta.SetString(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, sopClass);
        meta.SetString(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, newSop);

        // the sending AE title and private meta information could identify the source
        meta.Remove(new DicomTag(0x00020016));
        meta.Remove(new DicomTag(0x00020017));
        meta.Remove(new DicomTag(0x00020018));
        meta.Remove(new DicomTag(0x00020100));
        meta.Remove(new DicomTag(0x00020102));
        meta.Remove(new DicomTag(0x00020012));
        meta.Remove(new DicomTag(0x00020013));
    }
}
