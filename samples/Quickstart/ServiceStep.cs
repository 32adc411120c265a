using ImagingRepo.Client;
using ImagingRepo.Client.Datasets;
using ImagingRepo.Client.Projects;
using ImagingRepo.Client.Storage;
using ImagingRepo.Client.Traces;
using ImagingRepo.Client.Upload;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Tracing.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Quickstart;

/// <summary>
/// Step 6: the reference dataset service hosted in the Quickstart's process on loopback (SQLite and its trace outbox in
/// the working folder, the Quickstart's data lake), driven through the Client as an app would drive a platform.
/// </summary>
internal static class ServiceStep
{
    private const string Project = "QUICKSTART";

    /// <summary>The lake folder the provider pipeline uploads into, beside step 1's subject folder.</summary>
    public const string UploadPrefix = "site-upload";

    /// <summary>
    /// Runs the step; true when the dataset was created from the lake, released, granted, its trace found and it was
    /// published, and when the hospital's export folder became a second dataset through the provider pipeline.
    /// </summary>
    public static async Task<bool> RunAsync(string root, string lake, string subjectFolder, string hospitalExport)
    {
        await using var app = ServiceApplication.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0", // a free loopback port
            ["ImagingRepo:Service:DataDirectory"] = Path.Combine(root, "state", "service"),
            ["ImagingRepo:Creation:DataLakePath"] = lake,
            ["ImagingRepo:Creation:DatasetsPath"] = Path.Combine(root, "service-datasets"),
            ["ImagingRepo:Creation:PollInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:ImagingRepo.Service.DevelopmentMode"] = "Error", // the insecure-mode banner; this host is the loopback
        }));
        await ServiceApplication.InitializeAsync(app);
        await app.StartAsync();
        var baseAddress = new Uri(app.Urls.First() + "/");
        Console.WriteLine($"6. reference dataset service on {baseAddress} (SQLite, the same data lake, development sign-in)");

        // The development sign-in believes these headers, from loopback only; on a platform the Client sends OIDC tokens.
        using var steward = Client(baseAddress, "data.steward", "admin_datasets,admin_projects,admin_datasetAccess", "PROJECT-" + Project);
        using var researcher = Client(baseAddress, "researcher", "use_datasets", "PROJECT-" + Project);
        await researcher.Datasets.GetDatasetPageAsync(null, 0, 1); // the service knows a user from their first call
        await steward.Projects.PutProjectAsync(Project, new ProjectPut { Name = "Quickstart", ShortDescription = "The Quickstart's project." });

        var study = Directory.GetDirectories(subjectFolder).Single();
        var subject = Path.GetFileName(subjectFolder);
        var metadata = new DatasetCreationRequest
        {
            Name = "Quickstart CT",
            Version = "1",
            Project = Project,
            Description = "The de-identified synthetic study of the Quickstart.",
            Provenance = "synthetic",
            Purpose = "a walk through the platform",
            Type = [DatasetType.Original],
            CollectionMethod = [CollectionMethod.Cohort],
        };
        var operation = await steward.Datasets.StartCreateDatasetAsync(metadata with
        {
            Studies =
            [
                new StudyCreation
                {
                    StudyId = Path.GetFileName(study),
                    StudyName = "CT",
                    SubjectName = subject,
                    PathInDatalake = Path.GetRelativePath(lake, study).Replace('\\', '/'),
                    Series = [.. Directory.GetDirectories(study).Order(StringComparer.Ordinal).Select(s => new Series { FolderName = Path.GetFileName(s) })],
                    Url = "",
                },
            ],
            Subjects = [new Subject { SubjectName = subject, SubjectId = subject }],
        });
        var states = new List<DatasetCreationState?>();
        await operation.WaitForCompletionAsync(new Progress<DatasetCreationStatus>(s => states.Add(s.Status)));
        await steward.Datasets.ReleaseAsync(operation.Id);
        var dataset = await steward.Datasets.GetDatasetAsync(operation.Id);
        Console.WriteLine($"   created dataset {operation.Id} through the Client: {dataset.StudiesCount} study, {dataset.SubjectsCount} subject, " +
                          $"draft {dataset.Draft} after release");

        // What the platform asks before it mounts the dataset in a researcher's workspace or job.
        var access = await steward.Access.CheckAccessAsync("researcher", [operation.Id]);
        var traces = new List<string>();
        using var http = Http(baseAddress, "data.steward", "admin_datasets", "");
        await foreach (var trace in new TracesClient(http, null).GetV2TracesAsync(operation.Id)) traces.Add(trace.Trace.UserAction.ToWireName());
        // Counted by action, since the release's UPDATE_DATASET may or may not be committed yet when the list is read.
        var createdTraces = traces.Count(a => a == TraceUserAction.CreateDataset.ToWireName());
        Console.WriteLine($"   access check for a researcher of the project: {(access.Granted ? "granted" : "denied")}; the service's tracer API lists " +
                          $"{createdTraces} CREATE_DATASET for it");

        // FAIR metadata: once published, the dataset answers in DCAT-AP (Turtle or JSON-LD by Accept) and joins the paged
        // catalogue EUCAIM harvests; publishing is a superadmin's decision. The local provider mints no DOI (Zenodo does).
        using var admin = Http(new Uri(baseAddress, "api/"), "platform.admin", "admin_datasets,superadmin_datasets", "");
        using (var publish = await admin.PatchAsync($"datasets/{operation.Id}",
                   System.Net.Http.Json.JsonContent.Create(new Dictionary<string, object> { ["property"] = "public", ["value"] = true })))
        {
            publish.EnsureSuccessStatusCode();
        }

        using var describe = new HttpRequestMessage(HttpMethod.Get, $"datasets/{operation.Id}");
        describe.Headers.Accept.ParseAdd("text/turtle");
        using var described = await admin.SendAsync(describe);
        var turtle = described.IsSuccessStatusCode ? await described.Content.ReadAsStringAsync() : "";
        var catalogue = await admin.GetStringAsync("catalogue");
        var listed = catalogue.Contains($"/api/datasets/{operation.Id}", StringComparison.Ordinal);
        Console.WriteLine($"   published: its DCAT-AP description is {turtle.Split('\n').Length} lines of Turtle " +
                          $"({(turtle.Contains("dcat:Dataset", StringComparison.Ordinal) ? "a dcat:Dataset" : "no dataset")}), and GET /api/catalogue " +
                          $"{(listed ? "lists it" : "does not list it")} for EUCAIM to harvest");

        // The provider pipeline in one call: a hospital's export folder (here step 1's) is scanned into studies,
        // de-identified into the lake under the site's prefix, journalled study by study (a rerun with the journal goes on
        // where it stopped) and made a dataset, whose creation the call waits for. On a platform the lake is S3 (Ceph RGW).
        var upload = await new DatasetUploader(new LocalFolderDataLakeStorage(lake), steward.Datasets).UploadFolderAsync(new DatasetFolderUploadRequest
        {
            Folder = hospitalExport,
            Dataset = metadata with { Name = "Quickstart CT, uploaded", Description = "The synthetic study of the Quickstart, from the hospital's export folder." },
            KeyPrefix = UploadPrefix + "/",
            Key = DeidentificationKey.Generate(),
            JournalPath = Path.Combine(root, "state", "upload-journal.jsonl"),
        });
        var ignored = upload.Files.Count(f => f.Outcome == DatasetUploadFileOutcome.Ignored);
        Console.WriteLine($"   the export folder uploaded by DatasetUploader: {upload.Items.Count(i => i.Outcome == DatasetUploadOutcome.Uploaded)} study " +
                          $"de-identified into {UploadPrefix}/ of the lake ({ignored} non-DICOM file ignored), dataset " +
                          $"{(upload.Succeeded ? $"created with {upload.Dataset!.StudiesCount} study" : "not created")}");

        await app.StopAsync();
        return dataset is { Draft: false } && access.Granted && traces.Contains(TraceUserAction.CreateDataset.ToWireName())
            && turtle.Contains("dcat:Dataset", StringComparison.Ordinal) && listed && upload.Succeeded;
    }

    private static RepositoryClient Client(Uri baseAddress, string user, string roles, string groups) =>
        new(Http(new Uri(baseAddress, "api/"), user, roles, groups), null, null);

    private static HttpClient Http(Uri baseAddress, string user, string roles, string groups)
    {
        var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Add("X-ImagingRepo-User", user);
        http.DefaultRequestHeaders.Add("X-ImagingRepo-Roles", roles);
        if (groups.Length > 0) http.DefaultRequestHeaders.Add("X-ImagingRepo-Groups", groups);
        return http;
    }
}
