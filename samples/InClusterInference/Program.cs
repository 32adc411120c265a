// ImagingRepo in-cluster inference: the container a researcher submits as an inference job in their workspace.
//
//   run        inside the pod: reads the datasets mounted read-only under $HOME/datasets (DATASETS_LIST), selects their
//              series, runs the ONNX model on the GPU, writes DICOM SEG/SR and a JSON summary per dataset into the
//              persistent home, and records USE_DATASETS and USE_MODELS traces (only ids and hashes);
//   manifest   on the researcher's side: the Kubernetes Job that runs `run`, rendered with ImagingRepo.Jobs as an
//              inference job with a GPU flavour and checked against the platform policies (printed, not submitted).
using System.CommandLine;
using System.Reflection;
using ImagingRepo.Inference;
using ImagingRepo.Inference.Runtime;
using ImagingRepo.Inference.Selection;
using ImagingRepo.Jobs.Specs;
using InClusterInference;
using Microsoft.Extensions.Logging;

var version = typeof(JobSettings).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
var conventions = new PlatformConventions();

var model = new Option<string>("--model")
{
    Description = "The ONNX model (its sidecar .json beside it is read when present). Default: $MODEL_PATH, else /opt/model/model.onnx.",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MODEL_PATH") ?? "/opt/model/model.onnx",
};
var datasets = new Option<string[]>("--dataset")
{
    Description = "A dataset id (repeatable). Default: the ids in $DATASETS_LIST, as the platform sets it.",
    DefaultValueFactory = _ => [.. JobSettings.DatasetsFromEnvironment()],
    AllowMultipleArgumentsPerToken = true,
};
var home = new Option<string>("--home")
{
    Description = $"The home folder holding {conventions.DatasetsFolder}/ID and {conventions.PersistentHomeFolder}. Default: $HOME.",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HOME") ?? conventions.HomePath,
};
var select = new Option<string?>("--select") { Description = "A series selector (JSON file); every series when absent." };
var device = new Option<ExecutionDevice>("--device") { Description = "Cuda (default), TensorRT, Cpu or Auto.", DefaultValueFactory = _ => ExecutionDevice.Cuda };
var fallback = new Option<bool>("--allow-cpu-fallback") { Description = "Run on the CPU (and log it) instead of failing when the GPU cannot be used." };
var user = new Option<string>("--user")
{
    Description = "The user the traces name, stored only as a keyed pseudonym. Default: $JUPYTERHUB_USER, else $USER.",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("JUPYTERHUB_USER") ?? Environment.GetEnvironmentVariable("USER") ?? Environment.UserName,
};
var keyFile = new Option<string?>("--pseudonym-key-file")
{
    Description = "The key that pseudonymizes the user in traces (a mounted secret). Default: $IMAGINGREPO_PSEUDONYM_KEY_FILE, else a key kept beside the traces.",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("IMAGINGREPO_PSEUDONYM_KEY_FILE"),
};

var run = new Command("run", "Run the model over the mounted datasets (the job's entry point).") { model, datasets, home, select, device, fallback, user, keyFile };
run.SetAction(async (parse, cancellationToken) =>
{
    var settings = new JobSettings
    {
        ModelPath = parse.GetValue(model)!,
        ModelId = Environment.GetEnvironmentVariable("MODEL_ID"),
        DatasetIds = parse.GetValue(datasets)!,
        Home = parse.GetValue(home)!,
        User = parse.GetValue(user)!,
        PseudonymKeyFile = parse.GetValue(keyFile),
        SelectorPath = parse.GetValue(select),
        Device = parse.GetValue(device),
        AllowCpuFallback = parse.GetValue(fallback),
    };
    if (settings.DatasetIds.Count == 0)
    {
        Console.Error.WriteLine("run: no dataset: give --dataset ID or set DATASETS_LIST");
        return 2;
    }

    using var loggerFactory = LoggerFactory.Create(logging => logging
        .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; o.UseUtcTimestamp = true; })
        .AddFilter("ImagingRepo.Inference.OnnxRuntime", LogLevel.Warning));
    try
    {
        return await new InferenceJobRun(settings, version, loggerFactory).RunAsync(cancellationToken);
    }
    catch (Exception e) when (e is ModelLoadException or ExecutionProviderUnavailableException or SelectionRuleException or DirectoryNotFoundException or FileNotFoundException or InferenceException)
    {
        Console.Error.WriteLine("run: " + e.Message);
        return 2;
    }
});

var image = new Option<string>("--image")
{
    Description = "The container image with this sample and the model.",
    DefaultValueFactory = _ => $"{new JobsOptions().Conventions.DefaultRegistry}/imagingrepo/in-cluster-inference:{version}",
};
var modelId = new Option<string>("--model-id") { Description = "The model's id (MODEL_ID in the pod, modelsIds in the USE_MODELS trace).", Required = true };
var owner = new Option<string>("--user") { Description = "The workspace owner (namespace user-NAME).", Required = true };
var datasetGid = new Option<long>("--dataset-gid") { Description = "The owner's dataset group id, from their workspace ConfigMap.", Required = true };
var manifestDatasets = new Option<string[]>("--dataset") { Description = "A dataset id to mount and run on (repeatable).", Required = true, AllowMultipleArgumentsPerToken = true };
var flavor = new Option<string>("--flavor") { Description = "The resource flavour.", DefaultValueFactory = _ => "gpu" };
var manifest = new Command("manifest", "Print the Kubernetes Job that runs this sample as an inference job (rendered and checked, not submitted).")
{
    image, modelId, owner, datasetGid, manifestDatasets, flavor,
};
manifest.SetAction(parse =>
{
    var (workload, violations) = JobManifest.Render(parse.GetValue(owner)!, parse.GetValue(datasetGid), parse.GetValue(image)!, version,
        parse.GetValue(manifestDatasets)!, parse.GetValue(modelId)!, parse.GetValue(flavor)!);
    Console.Write(workload.ToYaml());
    foreach (var violation in violations)
    {
        Console.Error.WriteLine("policy: " + violation);
    }

    return violations.Count == 0 ? 0 : 1;
});

var root = new RootCommand("ImagingRepo in-cluster inference: an ONNX model over mounted datasets, next to the data, with traces.") { run, manifest };
return await root.Parse(args).InvokeAsync();
