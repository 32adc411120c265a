using ImagingRepo.Client.Datasets;
using ImagingRepo.Client.Datasets.InSitu;
using ImagingRepo.Client.DicomWeb;
using ImagingRepo.Client.Identity;
using ImagingRepo.Client.Storage;
using ImagingRepo.Client.Upload;
using ImagingRepo.Client.Tests.Datasets;
using ImagingRepo.Client.Tests.DicomWeb;
using ImagingRepo.Client.Tests.Identity;
using ImagingRepo.Client.Tests.Support;
using ImagingRepo.Client.Tests.Upload;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.TestSupport;
using ImagingRepo.Tracing.Hashing;
using ImagingRepo.Tracing.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImagingRepo.Client.Tests.Docs;

/// <summary>
/// The examples of docs/client.md (an app, a notebook, an in-cluster job), compiled and run here; each region between
/// <c>// --- docs: NAME ---</c> and <c>// --- end ---</c> is the page's block of that name, which
/// <see cref="ClientDocsPageTests"/> checks, so that neither drifts.
/// </summary>
[Collection(ReferenceServiceCollection.Name)]
public sealed class ClientDocsExamples(ReferenceService service) : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("imagingrepo-client-docs-");

    public void Dispose() => _temp.Delete(recursive: true);

    [SkippableFact]
    public async Task App_lists_datasets_through_dependency_injection()
    {
        service.Require();
        using (var curator = service.ClientOf("persona-curator"))
        {
            var made = await curator.Datasets.StartCreateDatasetAsync(DatasetsClientTests.NewDataset(DatasetsClientTests.Unique("docs app"), studies: 1));
            await made.WaitForCompletionAsync();
        }

        // What appsettings.json and the environment would hold; the secret from a secret store.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ImagingRepo:Endpoint"] = service.Api.AbsoluteUri,
            ["ImagingRepo:SignIn:Flow"] = "ClientCredentials",
            ["ImagingRepo:SignIn:Authority"] = service.Oidc.Issuer,
            ["ImagingRepo:SignIn:ClientId"] = "persona-curator",
            ["ImagingRepo:SignIn:ClientSecret"] = service.Oidc.ClientSecret,
            ["ImagingRepo:SignIn:Resource"] = ReferenceService.Audience,
        }).Build();
        var output = new StringWriter();

        // --- docs: app ---
        var services = new ServiceCollection();
        services.AddImagingRepoClient(configuration.GetSection("ImagingRepo")); // validated when first resolved
        await using var provider = services.BuildServiceProvider();

        var datasets = provider.GetRequiredService<DatasetsClient>();
        var query = new DatasetQuery { Draft = true, SortBy = DatasetSortKey.CreationDate, SortDirection = SortDirection.Descending };
        await foreach (var dataset in datasets.GetDatasetsAsync(query)) // pages are fetched as the loop goes
        {
            output.WriteLine($"{dataset.Id} {dataset.Name} ({dataset.Project})");
        }
        // --- end ---

        Assert.Contains("docs app", output.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Notebook_signs_in_with_a_device_code_and_reads_the_service()
    {
        service.Require();
        var issuer = new Uri(service.Oidc.Issuer);
        var serviceApi = service.Api;
        var audience = ReferenceService.Audience;
        var tokenStorePath = Path.Combine(_temp.FullName, "tokens.json");
        var deviceClientId = Environment.GetEnvironmentVariable("IMAGINGREPO_OIDC_DEVICE_CLIENT_ID") is { Length: > 0 } id ? id : "imagingrepo-cli";
        Task? person = null;
        // In a notebook the prompt is shown to the reader; here a scripted browser approves it.
        Task ShowToTheReader(DeviceCodePrompt prompt)
        {
            person = ScriptedBrowser.ApproveAsync(prompt.VerificationUriComplete!, "docs-reader");
            return Task.CompletedTask;
        }

        // --- docs: notebook ---
        var signIn = new SignInOptions
        {
            Flow = SignInFlow.DeviceCode, Authority = issuer, ClientId = deviceClientId,
            Scope = "openid offline_access datasets:read", Resource = audience,
        };
        using var http = new HttpClient();
        using var tokens = new DeviceCodeTokenProvider(http, new OidcDiscovery(signIn, () => http), signIn, new FileTokenStore(tokenStorePath));
        await tokens.SignInAsync((prompt, _) => ShowToTheReader(prompt)); // shows the URL and code, polls until approved

        using var repository = new RepositoryClient(serviceApi, tokens, null);
        var version = await repository.GetServiceVersionAsync();
        var firstPage = await repository.Datasets.GetDatasetPageAsync(null, skip: 0, limit: 10);
        // --- end ---

        await person!;
        Assert.False(string.IsNullOrEmpty(version));
        Assert.NotNull(firstPage);
        Assert.True(File.Exists(tokenStorePath), "the refresh token is kept for the next session");
    }

    [Fact]
    public async Task Job_reads_its_mounted_dataset_in_place_and_checks_it()
    {
        var home = _temp.FullName;
        var datasetId = "7e1c7a0e-1a2b-4c3d-9e8f-0123456789ab";
        var mounted = Path.Combine(home, "datasets", datasetId);
        var series = Directory.CreateDirectory(Path.Combine(mounted, "17B76FEW", "CT20150129", "AXT1")).FullName;
        var (studyUid, seriesUid) = (MinimalDicomFile.NewUid(), MinimalDicomFile.NewUid());
        for (var i = 0; i < 3; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(series, $"{i:D4}.dcm"), MinimalDicomFile.Create("17B76FEW", "17B76FEW", studyUid, seriesUid, MinimalDicomFile.NewUid()));
        }

        await File.WriteAllTextAsync(Path.Combine(mounted, "index.json"), """
            [{"studyId": "s-1", "studyName": "TC ABDOMEN", "subjectName": "17B76FEW", "path": "17B76FEW/CT20150129",
              "series": [{"folderName": "AXT1", "tags": ["CT"]}], "url": "https://platform.example.org/studies?id=s-1"}]
            """);
        await File.WriteAllTextAsync(Path.Combine(mounted, "eforms.json"), """[{"subjectName": "17B76FEW", "eForm": {"age": 64}}]""");
        // The CREATE_DATASET trace the platform recorded (read from the tracer with TracesClient in practice).
        var creationTrace = new CreateDatasetTrace
        {
            Id = Guid.NewGuid(), CallerId = "dataset-service", Timestamp = 1_700_000_000_000, UserId = "pseudonym", DatasetId = datasetId,
            TraceResources = (await DatasetHasher.ComputeAsync(mounted)).ToTraceResources(),
        };
        var output = new StringWriter();

        // --- docs: job ---
        // The dataset is mounted read-only at <home>/datasets/<id>; DATASETS_LIST names the ids.
        var dataset = await DatasetFolder.OpenAsync(Path.Combine(home, "datasets", datasetId));
        var check = await dataset.VerifyAsync(creationTrace); // hashes the files in place against the trace
        if (!check.IsIntact) throw new InvalidDataException(string.Join("; ", check.Mismatches));

        foreach (var study in dataset.Studies)
        {
            foreach (var instance in study.Series.SelectMany(s => s.Instances)) // listed when first asked for
            {
                var file = instance.ReadDicom(); // read where it lies: nothing is copied
                output.WriteLine($"{study.SubjectName} {instance.FileName} {file.Dataset.Count} elements");
            }
        }
        // --- end ---

        Assert.Equal(3, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Upload_deidentifies_into_the_lake()
    {
        var exportFolder = Directory.CreateDirectory(Path.Combine(_temp.FullName, "export")).FullName;
        for (var i = 0; i < 3; i++)
        {
            var dicom = Dicom.DicomFile.FromBytes(MinimalDicomFile.Create("PAT-1", "DOE^JANE", "1.2.3", "1.2.3.4", MinimalDicomFile.NewUid()));
            dicom.Dataset.SetString(Dicom.DicomTags.BurnedInAnnotation, "NO");
            dicom.Save(Path.Combine(exportFolder, $"{i}.dcm"));
        }

        var keyPath = Path.Combine(_temp.FullName, "deid.key");
        await File.WriteAllTextAsync(keyPath, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        IDataLakeStorage lake = new LocalFolderDataLakeStorage(Path.Combine(_temp.FullName, "lake"));
        var progress = new SynchronousProgress<DeidentifyingUploadProgress>(_ => { });

        // --- docs: upload ---
        var uploader = new DeidentifyingUploader(lake, new DeidentifyingUploadOptions { BatchFiles = 200, MaxConcurrency = 8 });
        var report = await uploader.UploadAsync([exportFolder], "site-7/", DeidentificationKey.FromFile(keyPath), progress);
        // report: Deidentified, Quarantined, Ignored, DeidentificationFailures, Uploads (per file: key, outcome, SHA-256, reason)
        // --- end ---

        Assert.True(report.Succeeded);
        Assert.Equal(3, report.Uploaded);
    }
}

/// <summary>The example of docs/client.md that needs a PACS: Orthanc, and the reference service over a local-folder lake.</summary>
public sealed class ClientPacsDocsExample(OrthancServer orthanc, LakeReferenceService service)
    : IClassFixture<OrthancServer>, IClassFixture<LakeReferenceService>, IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("imagingrepo-client-docs-pacs-");

    public void Dispose() => _temp.Delete(recursive: true);

    [SkippableFact]
    public async Task Pacs_studies_become_a_dataset()
    {
        orthanc.Require();
        service.Require();
        var pacsUrl = new Uri(orthanc.Url.TrimEnd('/') + "/dicom-web/");
        var patientId = OrthancSeed.NewPatientId("DOCS");
        await OrthancSeed.StoreStudyAsync(new DicomWebClient(pacsUrl, null, null), Path.Combine(_temp.FullName, "seed"), patientId, "CT", new DateOnly(2024, 6, 1), 1, 2);
        var keyPath = Path.Combine(_temp.FullName, "deid.key");
        await File.WriteAllTextAsync(keyPath, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var datasetName = DatasetsClientTests.Unique("Lung CT 2024");
        var journalPath = Path.Combine(_temp.FullName, "lung-ct-2024.journal.jsonl");
        IDataLakeStorage lake = new LocalFolderDataLakeStorage(service.LakePath);
        using var repository = service.ClientOf("persona-curator");
        var progress = new SynchronousProgress<DatasetUploadProgress>(_ => { });

        // --- docs: pacs ---
        var pacs = new DicomWebClient(pacsUrl, null, null);
        var query = new DicomWebStudyQuery { PatientId = patientId, Modality = "CT", StudyDateFrom = new(2024, 1, 1), StudyDateTo = new(2024, 12, 31) };
        var studies = new List<string>();
        await foreach (var study in pacs.SearchStudiesAsync(query)) studies.Add(study.StudyInstanceUid);

        var uploader = new DatasetUploader(pacs, lake, repository.Datasets);
        var report = await uploader.UploadAsync(new DatasetUploadRequest
        {
            StudyInstanceUids = studies,
            Dataset = new DatasetCreationRequest { Name = datasetName, Version = "1", Project = "ALPHA", Description = "CT studies of 2024." },
            KeyPrefix = "site-7/",
            Key = DeidentificationKey.FromFile(keyPath),
            JournalPath = journalPath, // a rerun after a failure or a crash goes on from here
        }, progress);
        // report.Items: per study Uploaded, Skipped (done by an earlier run), Quarantined or Failed with its reason
        // report.Dataset: the created dataset (null when a study failed), its CREATE_DATASET trace recorded by the service
        // --- end ---

        Assert.True(report.Succeeded, string.Join("; ", report.Failures.Select(f => f.Reason)));
        Assert.Equal(1, report.Dataset!.StudiesCount);
    }
}

/// <summary>The folder example of docs/client.md: corpus studies in an export folder, and the reference service over a local-folder lake.</summary>
public sealed class ClientFolderDocsExample(LakeReferenceService service) : IClassFixture<LakeReferenceService>, IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("imagingrepo-client-docs-folder-");

    public void Dispose() => _temp.Delete(recursive: true);

    [SkippableFact]
    public async Task Folder_studies_become_a_dataset()
    {
        service.Require();
        var exportFolder = Path.Combine(_temp.FullName, "export");
        CorpusExport.Write(exportFolder, 2, 1);
        var keyPath = Path.Combine(_temp.FullName, "deid.key");
        await File.WriteAllTextAsync(keyPath, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var datasetName = DatasetsClientTests.Unique("CT export 2024");
        var journalPath = Path.Combine(_temp.FullName, "ct-export-2024.journal.jsonl");
        IDataLakeStorage lake = new LocalFolderDataLakeStorage(service.LakePath);
        using var repository = service.ClientOf("persona-curator");
        var progress = new SynchronousProgress<DatasetUploadProgress>(_ => { });

        // --- docs: folder ---
        var uploader = new DatasetUploader(lake, repository.Datasets); // no PACS
        var report = await uploader.UploadFolderAsync(new DatasetFolderUploadRequest
        {
            Folder = exportFolder, // searched recursively; files are grouped into studies by Study Instance UID
            Dataset = new DatasetCreationRequest { Name = datasetName, Version = "1", Project = "ALPHA", Description = "CT studies of the 2024 export." },
            KeyPrefix = "site-7/",
            Key = DeidentificationKey.FromFile(keyPath),
            JournalPath = journalPath, // outside the folder; a rerun skips the studies uploaded already
        }, progress);
        // report.Items: per study Uploaded, Skipped, Quarantined or Failed with its reason
        // report.Files: files in no study, Ignored (not DICOM, a DICOMDIR) or Failed (DICOM whose study cannot be read)
        // --- end ---

        Assert.True(report.Succeeded, string.Join("; ", report.Failures.Select(f => f.Reason)));
        Assert.Equal(2, report.Dataset!.StudiesCount);
        Assert.Equal(2, report.Files.Count);
    }
}

/// <summary>Each C# block of docs/client.md is the region of <see cref="ClientDocsExamples"/> with its name.</summary>
public sealed class ClientDocsPageTests
{
    [Theory]
    [InlineData("app")]
    [InlineData("notebook")]
    [InlineData("job")]
    [InlineData("upload")]
    [InlineData("pacs")]
    [InlineData("folder")]
    public void The_page_shows_the_code_the_examples_run(string name)
    {
        var page = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "docs", "client.md")).ReplaceLineEndings("\n");
        var marker = $"<!-- example: {name} -->\n```csharp\n";
        var start = page.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/client.md has no block '{marker.Trim()}'");
        start += marker.Length;
        var block = page[start..page.IndexOf("```", start, StringComparison.Ordinal)].TrimEnd();

        var source = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "tests", "ImagingRepo.Client.Tests", "Docs", "ClientDocsExamples.cs"))
            .ReplaceLineEndings("\n");
        var open = $"// --- docs: {name} ---\n";
        var from = source.IndexOf(open, StringComparison.Ordinal) + open.Length;
        var region = string.Join('\n', source[from..source.IndexOf("        // --- end ---", from, StringComparison.Ordinal)].Split('\n')
            .Select(line => line.Length >= 8 ? line[8..] : line.Trim())).TrimEnd();

        Assert.Equal(region, block);
    }
}
