using ImagingRepo.Dicom;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Client.Tests.Upload;

/// <summary>
/// A provider's export folder made from the shared corpus's CT_small.dcm: studies of new UIDs (in ordinal order of
/// their position) with their instances in folders of their own, beside a text file and a DICOMDIR, as a CD or a
/// PACS export holds them. Shared with the CLI tests.
/// </summary>
internal static class CorpusExport
{
    /// <summary>The patient name of CT_small.dcm, which must never reach the lake.</summary>
    public const string PatientName = "CompressedSamples^CT1";

    /// <summary>Writes studies of <paramref name="instancesPerStudy"/> instances under <paramref name="folder"/>, plus <c>notes.txt</c> and <c>DICOMDIR</c>.</summary>
    /// <returns>The Study Instance UIDs, in ordinal order.</returns>
    public static IReadOnlyList<string> Write(string folder, params int[] instancesPerStudy)
    {
        var corpus = TestEnvironment.RequireDicomCorpus();
        var root = "2.25." + new System.Numerics.BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true);
        var studies = new List<string>();
        for (var s = 0; s < instancesPerStudy.Length; s++)
        {
            var study = $"{root}.{s + 1}";
            studies.Add(study);
            var series = Directory.CreateDirectory(Path.Combine(folder, $"study-{s + 1}", "series-1")).FullName;
            for (var i = 0; i < instancesPerStudy[s]; i++)
            {
                var file = DicomFile.Open(Path.Combine(corpus, "CT_small.dcm"));
                file.Dataset.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, study);
                file.Dataset.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, study + ".1");
                file.Dataset.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, $"{study}.1.{i + 1}");
                file.Save(Path.Combine(series, $"IM{i + 1:D4}.dcm"));
            }
        }

        File.WriteAllText(Path.Combine(folder, "notes.txt"), "Exported for the study board; see the DICOMDIR.");
        File.Copy(Path.Combine(corpus, "DICOMDIR"), Path.Combine(folder, "DICOMDIR"));
        return studies;
    }
}
