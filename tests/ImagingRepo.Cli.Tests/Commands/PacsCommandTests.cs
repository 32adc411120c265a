using ImagingRepo.Client.DicomWeb;
using ImagingRepo.Dicom;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Cli.Tests.Commands;

/// <summary>
/// <c>imagingrepo pacs query|pull</c> against Orthanc (inside ./test.sh's loopback-only namespace). In the Console
/// collection: the commands run in this process and their output is read from the redirected console, which the other
/// command tests redirect too.
/// </summary>
[Collection("Console")]
public sealed class PacsCommandTests(OrthancServer server) : IClassFixture<OrthancServer>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("imagingrepo-cli-pacs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string DicomWeb => server.Url.TrimEnd('/') + "/dicom-web/";

    [SkippableFact]
    public async Task Query_finds_the_study_by_patient_modality_and_date_and_pull_writes_its_instances()
    {
        server.Require();
        var patient = "CLI-" + Guid.NewGuid().ToString("N")[..8];
        var study = "2.25." + new System.Numerics.BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true);
        var seed = Path.Combine(_root, "seed");
        DeidCommandTests.WriteInstances(seed, 3);
        var files = Directory.GetFiles(seed);
        for (var i = 0; i < files.Length; i++)
        {
            var file = DicomFile.Open(files[i]);
            file.Dataset.SetString(DicomTags.PatientID, DicomVR.LO, patient);
            file.Dataset.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, study);
            file.Dataset.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, study + ".1");
            file.Dataset.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, study + ".1." + (i + 1));
            file.Save(files[i]);
        }

        var stored = await new DicomWebClient(new Uri(DicomWeb), null, null).StoreAsync(files);
        Assert.Equal(3, stored.Stored.Count);

        var (code, text) = Run("pacs", "query", "--url", DicomWeb, "--patient", patient, "--modality", "CT", "--from", "2024-01-01", "--to", "2024-01-31");
        Assert.Equal(0, code);
        Assert.Contains($"{study}  2024-01-05  CT", text, StringComparison.Ordinal);
        Assert.Equal("found 1 studies", text.TrimEnd().Split('\n')[^1]);
        var (none, empty) = Run("pacs", "query", "--url", DicomWeb, "--patient", patient, "--to", "2023-12-31", "--json");
        Assert.Equal((0, ""), (none, empty.Trim()));

        var (pulled, log) = Run("pacs", "pull", study, "--url", DicomWeb, "--out", Path.Combine(_root, "out"));
        Assert.Equal(0, pulled);
        Assert.StartsWith("pulled 1 studies, 3 instances, ", log.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(_root, "out", study), "*.dcm").Length);

        var (missing, error) = Run("pacs", "pull", study + ".9", "--url", DicomWeb, "--out", Path.Combine(_root, "out"));
        Assert.Equal(1, missing);
        Assert.Contains("error: not found: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_url_pacs_refuses()
    {
        var (code, text) = Run("pacs", "query", "--patient", "P");

        Assert.Equal(2, code);
        Assert.Contains("--url (or $IMAGINGREPO_DICOMWEB_URL)", text, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) Run(params string[] args) => InProcessCli.Run(args);
}
