namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>
/// Makes sure an input is a composite instance with a SOP Class and SOP Instance UID before the profile runs. Real files
/// lack them in the dataset while their file meta has them (Media Storage SOP Class/Instance UID): those are taken from
/// the meta, the instance UID then pseudonymized like any other. With no instance UID anywhere, the engine derives one
/// from the input's content; only a missing SOP Class UID, or a DICOMDIR, cannot be de-identified.
/// </summary>
/// <param name="Failure">Why the input is not a composite instance; null when it is.</param>
/// <param name="InstanceUidMissing">True when neither the dataset nor the file meta has a SOP Instance UID.</param>
/// <param name="Diagnostics">What was taken or derived, without values; null when nothing was.</param>
internal readonly record struct SopUids(string? Failure, bool InstanceUidMissing, IReadOnlyList<string>? Diagnostics)
{
    /// <summary>Media Storage Directory Storage: a DICOMDIR, an index of files rather than an instance.</summary>
    private const string MediaStorageDirectoryStorage = "1.2.840.10008.1.3.10";

    /// <summary>Fills in the dataset's SOP Class and Instance UIDs from the file meta where they are missing.</summary>
    public static SopUids Complete(DicomFile file)
    {
        var dataset = file.Dataset;
        var meta = file.FileMetaInformation;
        List<string>? diagnostics = null;
        var sopClass = Uid(dataset, DicomTags.SOPClassUID);
        var sopClassFromMeta = sopClass.Length == 0;
        if (sopClassFromMeta)
        {
            sopClass = Uid(meta, DicomTags.MediaStorageSOPClassUID);
            if (sopClass.Length == 0)
            {
                return new("not a composite instance: SOP Class UID (0008,0016) is missing, and there is no Media Storage SOP Class UID "
                    + "(0002,0002) to take it from", false, null);
            }
        }

        if (sopClass == MediaStorageDirectoryStorage)
        {
            return new("not a composite instance: a DICOMDIR (Media Storage Directory Storage) indexes files and is not de-identified", false, null);
        }

        if (sopClassFromMeta)
        {
            dataset.SetString(DicomTags.SOPClassUID, DicomVR.UI, sopClass);
            (diagnostics ??= []).Add("SOP Class UID (0008,0016) was missing: taken from Media Storage SOP Class UID (0002,0002)");
        }

        if (Uid(dataset, DicomTags.SOPInstanceUID).Length > 0)
        {
            return new(null, false, diagnostics);
        }

        var metaInstance = Uid(meta, DicomTags.MediaStorageSOPInstanceUID);
        if (metaInstance.Length > 0)
        {
            dataset.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, metaInstance);
            (diagnostics ??= []).Add("SOP Instance UID (0008,0018) was missing: taken from Media Storage SOP Instance UID (0002,0003)");
            return new(null, false, diagnostics);
        }

        (diagnostics ??= []).Add("SOP Instance UID (0008,0018) was missing, in the file meta too: derived from the key and the input's content");
        return new(null, true, diagnostics);
    }

    private static string Uid(DicomDataset dataset, DicomTag tag) => dataset.GetString(tag)?.Trim('\0', ' ') ?? "";
}
