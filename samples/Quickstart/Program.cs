// ImagingRepo Quickstart: the main job of a hospital-to-research flow on embedded defaults, no server to install.
//
//   1. a hospital's study (synthetic, with identifying data planted) is de-identified into the local data lake;
//   2. the de-identified study becomes a dataset (a folder linking to the lake) and its hash tree is computed;
//   3. a CREATE_DATASET trace is recorded durably (SQLite outbox) and anchored in the local hash-chained ledger,
//      then verified with its inclusion proof;
//   4. an in-situ batch job over the dataset is rendered as hardened Kubernetes YAML and checked against the
//      platform policies (rendered, not submitted);
//   5. a small ONNX model (shipped in the sample, see Models/make_model.py) runs on the CPU over the de-identified
//      dataset and writes a DICOM Segmentation per series with the model's provenance, as an in-situ job would;
//   6. the reference dataset service runs in this process on loopback (SQLite, the same data lake, development sign-in)
//      and the Client creates the dataset through its CHAIMELEON API, waits for the creation, releases it, checks
//      access and reads its CREATE_DATASET trace back from the service's tracer API.
using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using ImagingRepo.Dicom.Deidentification.Policy;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.Dicom.Deidentification.Run;
using ImagingRepo.Inference;
using ImagingRepo.Inference.Runtime;
using ImagingRepo.Jobs.Policies;
using ImagingRepo.Jobs.Specs;
using ImagingRepo.Jobs.Workspaces;
using ImagingRepo.Tracing;
using ImagingRepo.Tracing.Compatibility;
using ImagingRepo.Tracing.Hashing;
using ImagingRepo.Tracing.Model;
using Quickstart;

var folderArgument = new Argument<string>("DIR")
{
    Description = "The working folder: created when missing, and cleared on later runs only if the Quickstart created it " +
                  $"(marker file {WorkingFolder.MarkerName}); a non-empty folder of yours is refused. " +
                  "Default: imagingrepo-quickstart in the temporary folder.",
    Arity = ArgumentArity.ZeroOrOne,
    DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "imagingrepo-quickstart"),
};
// an unknown option would otherwise be taken for the folder's name (and a folder named --frobnicate made)
folderArgument.Validators.Add(result =>
{
    if (result.Tokens is [{ Value: ['-', ..] value }])
    {
        result.AddError($"unknown option '{value}' (see --help)");
    }
});
var command = new RootCommand("ImagingRepo Quickstart: de-identifies a synthetic study into a local data lake, hashes it as a dataset, " +
                              "records and verifies its CREATE_DATASET trace in a local ledger, renders a hardened Kubernetes job and runs a small " +
                              "ONNX model on the CPU over the dataset, then hosts the reference dataset service on loopback and creates the dataset " +
                              "through the Client; no server to install.");
command.Arguments.Add(folderArgument);
command.SetAction((parse, _) => RunAsync(parse.GetValue(folderArgument)!));
return await command.Parse(args).InvokeAsync();

static async Task<int> RunAsync(string folder)
{
    var version = typeof(SyntheticStudy).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
    if (WorkingFolder.Prepare(folder, out var refusal) is not { } root)
    {
        Console.Error.WriteLine("quickstart: " + refusal);
        return 2;
    }

    var hospital = Directory.CreateDirectory(Path.Combine(root, "hospital")).FullName;
    var lake = Directory.CreateDirectory(Path.Combine(root, "datalake")).FullName;
    var datasets = Directory.CreateDirectory(Path.Combine(root, "datasets")).FullName;
    var state = Directory.CreateDirectory(Path.Combine(root, "state")).FullName;

    Console.WriteLine($"ImagingRepo Quickstart {version} on .NET {Environment.Version}");
    Console.WriteLine($"working folder: {root}");
    Console.WriteLine();

    // 1. De-identify the hospital's export into the data lake (PS3.15 Basic Profile, keyed pseudonyms) as one library
    //    run, the same DeidentificationRun the CLI's deid calls: the export's README is ignored, a file sent twice is
    //    reported as a duplicate instead of being written twice, and no output keeps the input's 128-byte preamble.
    var sourceFiles = SyntheticStudy.Write(hospital, series: 2, instancesPerSeries: 3);
    foreach (var source in sourceFiles)
    {
        // what real sending systems leave in the preamble, out of reach of every attribute rule
        using var file = File.OpenWrite(source);
        file.Write("SENDER=HOSPITAL_PACS_AE STATION=CT-ROOM-2"u8);
    }

    File.Copy(sourceFiles[0], Path.Combine(hospital, "resent.dcm"));
    File.WriteAllText(Path.Combine(hospital, "README.txt"), "Exported by the PACS");
    var deidentification = await new DeidentificationRun(new DeidentificationRunOptions
    {
        Inputs = [hospital],
        OutputRoot = lake,
        Key = DeidentificationKey.Generate(),
    }).RunAsync();
    var outputs = Directory.GetFiles(lake, "*.dcm", SearchOption.AllDirectories);
    var leaked = outputs.Count(p => File.ReadAllText(p).Contains(SyntheticStudy.PatientName, StringComparison.Ordinal));
    Console.WriteLine($"1. de-identified {deidentification.Deidentified} of {sourceFiles.Count} instances into the data lake " +
                      $"({deidentification.Failures.Count} failed, patient name found in {leaked} outputs, " +
                      $"{outputs.Count(HasZeroedPreamble)} with a zeroed preamble)");
    Console.WriteLine($"   skipped {deidentification.Duplicates.Count} duplicate and ignored {deidentification.Ignored} non-DICOM file; " +
                      $"receipts in {Path.GetRelativePath(root, deidentification.ReceiptsPath)}");
    var subject = Directory.GetDirectories(lake).Single();
    Console.WriteLine($"   subject {Path.GetFileName(subject)}, study {Path.GetFileName(Directory.GetDirectories(subject).Single())[..12]}…");

    // 2. A dataset is never a copy: a folder with subject links into the lake, hashed as the platform does.
    var datasetId = Guid.NewGuid().ToString();
    var datasetFolder = Directory.CreateDirectory(Path.Combine(datasets, datasetId)).FullName;
    Directory.CreateSymbolicLink(Path.Combine(datasetFolder, Path.GetFileName(subject)), subject);
    var tree = await DatasetHasher.ComputeAsync(datasetFolder);
    Console.WriteLine($"2. dataset {datasetId}: {tree.Studies.Count} study, {tree.Studies.Sum(s => s.Series.Count)} series, " +
                      $"images SHA3-256 {Convert.ToBase64String(tree.Images)[..16]}…");

    // 3. Record the CREATE_DATASET trace durably, anchor it in the local ledger and verify its proof.
    await using (var store = await new TraceStoreBuilder()
                     .UsePseudonymizationKey(RandomNumberGenerator.GetBytes(32))
                     .UseSqliteOutbox(Path.Combine(state, "traces.db"))
                     .UseFileLedger(Path.Combine(state, "traces.ledger.jsonl"))
                     .BuildAsync())
    {
        var trace = new CreateDatasetTrace
        {
            Id = Guid.NewGuid(),
            CallerId = "imagingrepo-quickstart",
            Timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(),
            UserId = "data.steward@hospital.example",
            DatasetId = datasetId,
            TraceResources = tree.ToTraceResources(),
        };
        await store.Outbox.RecordAsync(trace);
        await store.Dispatcher.FlushAsync();

        var verification = await store.Verifier.VerifyAsync(trace);
        var integrity = (await DatasetHasher.ComputeAsync(datasetFolder)).CompareWith(trace);
        Console.WriteLine($"3. CREATE_DATASET trace {trace.Id}: {verification.Status} in the local ledger; " +
                          $"dataset integrity {(integrity.IsIntact ? "intact" : "BROKEN")}");

        // The same recorded trace as the body a CHAIMELEON tracer takes (POST /api/v1/traces): no id, time or caller,
        // resources index/clinicalData/images as {id, contentType HASH, hash, hashType}, the user as its pseudonym.
        var recorded = await store.Outbox.GetAsync(trace.Id);
        var request = System.Text.Encoding.UTF8.GetString(TracerV1Mapper.ToRequest(recorded!));
        var fields = request[request.IndexOf("\"userAction\"", StringComparison.Ordinal)..];
        Console.WriteLine($"   as a CHAIMELEON tracer V1 request ({request.Length} bytes): {{\"userId\":\"pseud:v2:…\",{fields[..Math.Min(fields.Length, 100)]}…");
    }

    // 4. Render a hardened in-situ job over the dataset and check it against the platform policies.
    var jobsOptions = new JobsOptions();
    var workspace = new WorkspaceIdentity("researcher", WorkspaceNaming.NamespaceFor("researcher"), Uid: 1000, Gid: 1000, DatasetGid: 2042);
    var job = new BatchJob
    {
        Image = jobsOptions.Conventions.DefaultRegistry + "/tools/pyradiomics:3.1.0",
        DatasetIds = [datasetId],
        Arguments = ["--input", jobsOptions.Conventions.DatasetMountPath(datasetId)],
    };
    var rendered = new ManifestRenderer(jobsOptions).Render(job, workspace);
    var violations = new PolicyChecker(jobsOptions.Policy).CheckAll(rendered.Objects, workspace);
    var manifest = Path.Combine(root, "job.yaml");
    await File.WriteAllTextAsync(manifest, rendered.ToYaml());
    Console.WriteLine($"4. rendered {rendered.Kind} {rendered.Name} in {rendered.Namespace}: {violations.Count} policy violations; " +
                      $"manifest at {manifest} (not submitted)");

    // 5. Run a small segmentation model on the CPU over the dataset, as the in-situ job would on a GPU: series found
    //    through the dataset's links, each assembled into a volume and written back as a DICOM Segmentation that
    //    references its source slices and names the model (ContributingEquipmentSequence), plus a JSON summary.
    var model = await ModelFile.WriteAsync(Path.Combine(root, "models"));
    var inference = await new InferenceRunner().RunAsync(new InferenceRequest
    {
        ModelPath = model,
        DatasetFolder = datasetFolder,
        OutputFolder = Path.Combine(root, "results"),
        Runtime = new ModelRuntimeOptions { Device = ExecutionDevice.Cpu },
    });
    var segmented = inference.Summary.Series.Where(s => s.Status == "done").ToList();
    Console.WriteLine($"5. ran {inference.Model.Name} {inference.Model.Version} on the CPU ({inference.Provider}) over the dataset: " +
                      $"{segmented.Count} of {inference.SeriesSelected} series segmented");
    foreach (var series in segmented)
    {
        var segments = string.Join(", ", series.Segments.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} {s.VolumeMl:0.##} ml")));
        Console.WriteLine($"   series {series.SeriesInstanceUid[..12]}…: {series.Slices} slices -> DICOM {series.Outputs[0].Kind} ({segments})");
    }

    Console.WriteLine($"   results and {InferenceSummary.FileName} in {Path.GetRelativePath(root, Path.Combine(root, "results"))}");

    // 6. The platform side: the reference dataset service in this process, on loopback, over the same data lake. Unconfigured
    //    it signs callers in from development headers (loopback only); on a platform it takes OIDC tokens (docs/service.md).
    //    Last, the hospital's export folder goes through the Client's provider pipeline (DatasetUploader) into a dataset.
    var released = await ServiceStep.RunAsync(root, lake, subject, hospital);

    Console.WriteLine();
    Console.WriteLine("Embedded defaults used: SQLite outbox, local folder as data lake, local hash-chained ledger, manifests rendered not submitted, " +
                      "ONNX Runtime on the CPU, the reference service on loopback with development sign-in.");
    Console.WriteLine("Done.");
    return leaked == 0 && deidentification.Deidentified == sourceFiles.Count && violations.Count == 0
        && inference.SeriesSelected > 0 && inference.SeriesFailed == 0 && released ? 0 : 1;
}

static bool HasZeroedPreamble(string path)
{
    Span<byte> preamble = stackalloc byte[DeidentificationPolicy.PreambleLength];
    using var file = File.OpenRead(path);
    file.ReadExactly(preamble);
    return !preamble.ContainsAnyExcept((byte)0);
}
