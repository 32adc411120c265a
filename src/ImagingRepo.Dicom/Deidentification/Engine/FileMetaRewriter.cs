namespace ImagingRepo.Dicom.Deidentification.Engine;

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
        meta.Remove(DicomTags.SourceApplicationEntityTitle);
        meta.Remove(DicomTags.SendingApplicationEntityTitle);
        meta.Remove(DicomTags.ReceivingApplicationEntityTitle);
        meta.Remove(DicomTags.PrivateInformationCreatorUID);
        meta.Remove(DicomTags.PrivateInformation);
        meta.Remove(DicomTags.ImplementationClassUID);
        meta.Remove(DicomTags.ImplementationVersionName);
    }
}
