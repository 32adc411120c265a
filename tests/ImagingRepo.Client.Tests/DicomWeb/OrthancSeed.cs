using ImagingRepo.Client.DicomWeb;
using ImagingRepo.Dicom;

namespace ImagingRepo.Client.Tests.DicomWeb;

/// <summary>A study stored in Orthanc for a test: its UIDs and the instances of each series.</summary>
internal sealed record SeededStudy(string PatientId, string StudyInstanceUid, IReadOnlyList<(string SeriesInstanceUid, IReadOnlyList<string> Instances)> Series)
{
    public int InstanceCount => Series.Sum(s => s.Instances.Count);
}

/// <summary>
/// Stores hand-made studies in Orthanc through the client's own STOW-RS: secondary captures (that say they carry no
/// burned-in text, so the de-identification policy keeps them) with the patient, modality and date a test asks for,
/// and, when the shared corpus is there, its CT_small.dcm re-identified into the study (read at test time, never committed).
/// </summary>
internal static class OrthancSeed
{
    public const string PatientName = "GARCIA^MARIA";

    public static async Task<SeededStudy> StoreStudyAsync(DicomWebClient pacs, string folder, string patientId, string modality, DateOnly date,
        int series, int instancesPerSeries, bool withCorpusCt = false)
    {
        var studyUid = MinimalDicomFile.NewUid();
        var files = new List<string>();
        var made = new List<(string, IReadOnlyList<string>)>();
        Directory.CreateDirectory(folder);
        for (var s = 0; s < series; s++)
        {
            var seriesUid = MinimalDicomFile.NewUid();
            var instances = new List<string>();
            for (var i = 0; i < instancesPerSeries; i++)
            {
                var instanceUid = MinimalDicomFile.NewUid();
                var file = DicomFile.FromBytes(MinimalDicomFile.Create(patientId, PatientName, studyUid, seriesUid, instanceUid));
                file.Dataset.SetString(DicomTags.BurnedInAnnotation, "NO");
                file.Dataset.SetString(DicomTags.Modality, modality);
                file.Dataset.SetString(DicomTags.StudyDate, date.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture));
                var path = Path.Combine(folder, instanceUid + ".dcm");
                file.Save(path);
                files.Add(path);
                instances.Add(instanceUid);
            }

            made.Add((seriesUid, instances));
        }

        if (withCorpusCt && ImagingRepo.TestSupport.TestEnvironment.DicomCorpus is { } corpus && File.Exists(Path.Combine(corpus, "CT_small.dcm")))
        {
            var (seriesUid, instanceUid) = (MinimalDicomFile.NewUid(), MinimalDicomFile.NewUid());
            var ct = DicomFile.Open(Path.Combine(corpus, "CT_small.dcm"));
            ct.Dataset.SetString(DicomTags.PatientID, patientId);
            ct.Dataset.SetString(DicomTags.PatientName, PatientName);
            ct.Dataset.SetString(DicomTags.StudyInstanceUID, studyUid);
            ct.Dataset.SetString(DicomTags.SeriesInstanceUID, seriesUid);
            ct.Dataset.SetString(DicomTags.SOPInstanceUID, instanceUid);
            ct.Dataset.SetString(DicomTags.StudyDate, date.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture));
            ct.Dataset.SetString(DicomTags.BurnedInAnnotation, "NO");
            var path = Path.Combine(folder, instanceUid + ".dcm");
            ct.Save(path);
            files.Add(path);
            made.Add((seriesUid, [instanceUid]));
        }

        var stored = await pacs.StoreAsync(files);
        if (stored.Failed.Count > 0 || stored.Stored.Count != files.Count)
        {
            throw new InvalidOperationException($"Orthanc stored {stored.Stored.Count} of {files.Count} instances ({stored.Failed.Count} refused)");
        }

        return new SeededStudy(patientId, studyUid, made);
    }

    public static string NewPatientId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];
}
