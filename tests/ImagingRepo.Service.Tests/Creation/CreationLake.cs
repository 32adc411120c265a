using System.Numerics;
using System.Text.Json;
using ImagingRepo.Dicom;
using ImagingRepo.Dicom.Deidentification;
using ImagingRepo.Dicom.Deidentification.Policy;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.Dicom.Deidentification.Run;
using ImagingRepo.Service.Creation;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Service.Tests.Creation;

/// <summary>One subject of the test lake, with the values its hospital export carries (what the aggregates must show).</summary>
internal sealed record LakeSubject(string Key, string Age, string Sex, string? Project, LakeStudy[] Studies);

/// <summary>A study of the test lake.</summary>
internal sealed record LakeStudy(string Key, LakeSeries[] Series);

/// <summary>A series of the test lake: made from a corpus file, with these header values.</summary>
internal sealed record LakeSeries(string Key, string Template, string BodyPart, string Manufacturer, int Instances = 2);

/// <summary>
/// A data lake made the way a platform makes one: a hospital export built from files of the shared corpus (with known
/// subjects, studies, series and header values), de-identified with <see cref="DeidentificationRun"/> into
/// <c>lake/&lt;subject&gt;/&lt;study&gt;/&lt;series&gt;/&lt;instance&gt;.dcm</c>. The pseudonymous folder names are
/// mapped back to the export's keys by reading the de-identified headers.
/// </summary>
public sealed class CreationLake : IAsyncLifetime
{
    /// <summary>The private creator of CHAIMELEON's project name (70D1,2000 lies in block 0x20).</summary>
    public const string ProjectCreator = "CHAIMELEON";

    internal static readonly LakeSubject[] Subjects =
    [
        new("A", "045Y", "F", "Lung cancer CT_only",
        [
            new("A1", [new("ct1", "CT_small.dcm", "CHEST", "SIEMENS"), new("ct2", "CT_small.dcm", "CHEST", "SIEMENS")]),
            new("A2", [new("ct1", "CT_small.dcm", "CHEST", "SIEMENS", Instances: 3)]),
        ]),
        new("B", "062Y", "M", "Prostate cancer MR_only",
        [
            new("B1", [new("mr1", "MR_small.dcm", "PROSTATE", "Philips Medical Systems"), new("mr2", "MR_small.dcm", "PROSTATE", "Philips Medical Systems")]),
        ]),
        new("C", "030M", "O", null,
        [
            new("C1", [new("ct1", "CT_small.dcm", "ABDOMEN", "GE MEDICAL SYSTEMS"), new("mr1", "MR_small.dcm", "", "Canon Medical Systems")]),
        ]),
    ];

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("imagingrepo-creation-");

    /// <summary>Builds the lake (once per fixture).</summary>
    public async Task InitializeAsync()
    {
        var corpus = TestEnvironment.RequireDicomCorpus();
        var export = Path.Combine(_root.FullName, "export");
        foreach (var subject in Subjects)
        {
            foreach (var study in subject.Studies)
            {
                var studyUid = NewUid();
                foreach (var series in study.Series)
                {
                    var seriesUid = NewUid();
                    for (var i = 0; i < series.Instances; i++)
                    {
                        var file = DicomFile.Open(Path.Combine(corpus, series.Template), new ImagingRepo.Dicom.IO.DicomReadOptions { LargeValueThreshold = int.MaxValue });
                        var d = file.Dataset;
                        d.SetString(DicomTags.PatientID, "HOSP-" + subject.Key);
                        d.SetString(DicomTags.PatientName, "Patient^" + subject.Key);
                        d.SetString(DicomTags.PatientAge, subject.Age);
                        d.SetString(DicomTags.PatientSex, subject.Sex);
                        d.SetString(DicomTags.StudyInstanceUID, studyUid);
                        d.SetString(DicomTags.SeriesInstanceUID, seriesUid);
                        var instanceUid = NewUid();
                        d.SetString(DicomTags.SOPInstanceUID, instanceUid);
                        file.FileMetaInformation.SetString(DicomTags.MediaStorageSOPInstanceUID, instanceUid);
                        d.SetString(DicomTags.Manufacturer, series.Manufacturer);
                        d.SetString(DicomTags.BurnedInAnnotation, "NO"); // MR_small is DERIVED\SECONDARY, which is quarantined unless vouched for
                        if (series.BodyPart.Length > 0) d.SetString(DicomTags.BodyPartExamined, series.BodyPart);
                        else d.Remove(DicomTags.BodyPartExamined);
                        if (subject.Project is not null)
                        {
                            d.SetString(new DicomTag(0x70D1, 0x0020), DicomVR.LO, ProjectCreator);
                            d.SetString(new DicomTag(0x70D1, 0x2000), DicomVR.LO, subject.Project);
                        }

                        var folder = Path.Combine(export, subject.Key, study.Key, series.Key);
                        Directory.CreateDirectory(folder);
                        file.Save(Path.Combine(folder, $"{i:D3}.dcm"));
                    }
                }
            }
        }

        LakePath = Path.Combine(_root.FullName, "lake");
        var summary = await new DeidentificationRun(new DeidentificationRunOptions
        {
            Inputs = [export],
            OutputRoot = LakePath,
            Key = new DeidentificationKey(Enumerable.Repeat((byte)0x42, 32).ToArray()),
            Policy = new DeidentificationPolicy
            {
                Options = DeidentificationOptions.RetainPatientCharacteristics | DeidentificationOptions.RetainLongitudinalModifiedDates
                    | DeidentificationOptions.RetainSafePrivate,
                PrivateAllowList = [new SafePrivateAttribute(ProjectCreator, "0x00", "0x70D1")],
            },
            MaxDegreeOfParallelism = 2,
        }).RunAsync();
        if (!summary.Succeeded || summary.Quarantined > 0) throw new InvalidOperationException($"the test lake was not made cleanly: {summary.Failures.Count} failed, {summary.Quarantined} quarantined");
        File.Delete(summary.ReceiptsPath); // the lake holds studies only

        StudyPaths = MapStudies(LakePath);
        DatasetsPath = Path.Combine(_root.FullName, "datasets");
        Directory.CreateDirectory(DatasetsPath);
    }

    /// <summary>The lake folder.</summary>
    public string LakePath { get; private set; } = "";

    /// <summary>A folder for dataset folders; tests use their own dataset ids, so they can share it.</summary>
    public string DatasetsPath { get; private set; } = "";

    /// <summary>A fresh folder for a test's own files.</summary>
    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(_root.FullName, name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    /// <summary>Each export study key (A1, A2, B1, C1) → (its path in the lake, its series keys → series folder names).</summary>
    internal IReadOnlyDictionary<string, (string Path, string Subject, IReadOnlyDictionary<string, string> Series)> StudyPaths { get; private set; } =
        new Dictionary<string, (string, string, IReadOnlyDictionary<string, string>)>();

    /// <summary>
    /// A request selecting every study of the lake in export order (A1, A2, B1, C1) with all their series, and eForms
    /// for subjects A and B (none for C).
    /// </summary>
    public DatasetCreationRequest Request(string? datasetId = null, params string[] extraSeriesFor) => new()
    {
        DatasetId = datasetId ?? Guid.NewGuid().ToString(),
        AuthorId = "author-" + Guid.NewGuid().ToString("N")[..6],
        Studies =
        [
            .. Subjects.SelectMany(s => s.Studies).Select(study =>
            {
                var place = StudyPaths[study.Key];
                var series = study.Series.Select(r => new SelectedSeries(place.Series[r.Key], [r.Key.StartsWith("ct", StringComparison.Ordinal) ? "CT" : "MR", "Axial"])).ToList();
                if (extraSeriesFor.Contains(study.Key)) series.Add(new SelectedSeries("2.25.999", ["missing"]));
                return new SelectedStudy
                {
                    StudyId = "study-" + study.Key,
                    StudyName = "Study " + study.Key,
                    SubjectName = place.Subject,
                    PathInDatalake = place.Path,
                    Series = series,
                    Url = "https://explorer.example/studies?id=" + study.Key,
                };
            }),
        ],
        Subjects =
        [
            new SubjectEform(StudyPaths["A1"].Subject, JsonDocument.Parse("""
                {"pages": [{"page_name": "inclusion_criteria", "page_data": {"date_baseline_ct": {"value": "2021-01-10"}}}]}
                """).RootElement),
            new SubjectEform(StudyPaths["B1"].Subject, JsonDocument.Parse("""
                {"pages": [
                  {"page_name": "inclusion_criteria", "page_data": {"baseline_date": {"value": "2019-05-02"}, "age_at_diagnosis": {"value": 63}}},
                  {"page_name": "patient_data", "page_data": {"gender": {"value": "MALE"}}}]}
                """).RootElement),
        ],
    };

    public Task DisposeAsync()
    {
        _root.Delete(recursive: true);
        return Task.CompletedTask;
    }

    private static Dictionary<string, (string, string, IReadOnlyDictionary<string, string>)> MapStudies(string lake)
    {
        // a de-identified header still tells the subject (age), the study (instance count and body part) and the series apart
        var map = new Dictionary<string, (string, string, IReadOnlyDictionary<string, string>)>(StringComparer.Ordinal);
        foreach (var subjectFolder in Directory.GetDirectories(lake))
        {
            foreach (var studyFolder in Directory.GetDirectories(subjectFolder))
            {
                var series = Directory.GetDirectories(studyFolder)
                    .Select(f => (Folder: Path.GetFileName(f), Files: Directory.GetFiles(f), Header: DicomFile.Open(Directory.GetFiles(f)[0]).Dataset))
                    .ToList();
                var age = series[0].Header.GetString(DicomTags.PatientAge);
                var subject = Subjects.Single(s => s.Age == age);
                var study = subject.Studies.Single(st => st.Series.Length == series.Count && st.Series.Sum(r => r.Instances) == series.Sum(r => r.Files.Length));
                var seriesMap = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var r in study.Series)
                {
                    var modality = r.Template.StartsWith("CT", StringComparison.Ordinal) ? "CT" : "MR";
                    var match = series.Where(s => s.Header.GetString(DicomTags.Modality) == modality && !seriesMap.ContainsValue(s.Folder)).First();
                    seriesMap[r.Key] = match.Folder;
                }

                map[study.Key] = (Path.GetRelativePath(lake, studyFolder).Replace('\\', '/'), Path.GetFileName(subjectFolder), seriesMap);
            }
        }

        return map;
    }

    private static string NewUid() => "2.25." + new BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true);
}
