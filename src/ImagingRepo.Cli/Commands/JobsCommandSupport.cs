using System.CommandLine;
using System.Net;
using ImagingRepo.Client;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Identity;
using ImagingRepo.Jobs;
using ImagingRepo.Jobs.Lifecycle;
using ImagingRepo.Jobs.Specs;
using ImagingRepo.Jobs.Workspaces;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace ImagingRepo.Cli.Commands;

/// <summary>Options and plumbing shared by <c>jobs</c>, <c>workspace</c> and <c>policy</c>.</summary>
internal sealed class JobsCommandSupport
{
    public Option<FileInfo?> Kubeconfig { get; } = new("--kubeconfig")
    {
        Description = "kubeconfig file (default: $KUBECONFIG, ~/.kube/config or the in-cluster service account)",
        Recursive = true,
    };

    public Option<FileInfo?> Config { get; } = new("--config")
    {
        Description = "JSON file with jobs options (flavours, conventions, policies, workspace settings)",
        Recursive = true,
    };

    public Option<string?> User { get; } = new("--user", "-u")
    {
        Description = "platform user name (default: $IMAGINGREPO_USER, then the login name)",
        Recursive = true,
    };

    public Option<long?> DatasetGid { get; } = new("--dataset-gid")
    {
        Description = "the user's dataset GID; when given, the workspace identity is not read from the cluster",
        Recursive = true,
    };

    public Option<string?> Service { get; } = new("--service")
    {
        Description = "dataset service API root (default: $IMAGINGREPO_SERVICE_URL, then ImagingRepo:Endpoint in --config): submissions with datasets " +
                      "are checked, recorded and traced there. Sign-in: ImagingRepo:SignIn in --config, or IMAGINGREPO_SIGNIN__FLOW, __AUTHORITY, " +
                      "__CLIENTID, __CLIENTSECRET, __RESOURCE",
        Recursive = true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Service);
        command.Options.Add(Kubeconfig);
        command.Options.Add(Config);
        command.Options.Add(User);
        command.Options.Add(DatasetGid);
    }

    /// <summary>
    /// The jobs options: the defaults, or the <c>--config</c> JSON file bound and validated by the same
    /// <c>AddImagingRepoJobs</c> the service uses, so a file means the same to both. The file holds the options
    /// themselves or, like the service's settings, an <c>ImagingRepo:Jobs</c> section.
    /// </summary>
    public JobsOptions Options(ParseResult parse)
    {
        var file = parse.GetValue(Config);
        if (file is null)
        {
            return new JobsOptions();
        }

        IConfigurationRoot configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddJsonFile(file.FullName, optional: false, reloadOnChange: false).Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            throw new JobsValidationException("--config", $"{file.Name}: {e.Message}", e);
        }

        var section = configuration.GetSection(JobsOptions.SectionName);
        using var services = new ServiceCollection().AddImagingRepoJobs(section.Exists() ? section : configuration).BuildServiceProvider();
        try
        {
            return services.GetRequiredService<IOptions<JobsOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            throw new JobsValidationException("--config", $"{file.Name}: {string.Join("; ", e.Failures)}", e);
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key whose value does not convert.
            throw new JobsValidationException("--config", $"{file.Name}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The gate, recorder and trace sink of a submission: over the dataset service when one is configured
    /// (<see cref="ServiceConnection"/>: the settings <c>imagingrepo login</c> saved, the <c>ImagingRepo</c> section of
    /// <c>--config</c>, <c>IMAGINGREPO_</c> variables), otherwise ones that refuse every dataset.
    /// </summary>
    public DatasetServices DatasetServices(ParseResult parse)
    {
        if (ServiceConnection.Create(parse.GetValue(Service), parse.GetValue(Config)) is not { } services)
        {
            var unconfigured = new UnconfiguredDatasetServices();
            return new DatasetServices(unconfigured, unconfigured, unconfigured, null);
        }

        return new DatasetServices(services.GetRequiredService<IDatasetAccessGate>(), services.GetRequiredService<IDatasetAccessRecorder>(),
            services.GetRequiredService<IDatasetUseTraceSink>(), services);
    }

    public string UserName(ParseResult parse) =>
        parse.GetValue(User) ?? Environment.GetEnvironmentVariable("IMAGINGREPO_USER") ?? Environment.UserName;

    public Kubernetes Client(ParseResult parse)
    {
        var file = parse.GetValue(Kubeconfig);
        var configuration = file is not null
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(file.FullName)
            : KubernetesClientConfiguration.BuildDefaultConfig();
        return new Kubernetes(configuration);
    }

    /// <summary>The workspace: computed locally when --dataset-gid is given, read from the workspace ConfigMap otherwise.</summary>
    public async Task<WorkspaceIdentity> WorkspaceAsync(ParseResult parse, JobsOptions options, Func<IKubernetes> client, CancellationToken ct)
    {
        string user = UserName(parse);
        if (parse.GetValue(DatasetGid) is { } gid)
        {
            return WorkspaceManifests.Identity(new WorkspaceRequest(user, gid), options.Workspace);
        }

        return await new WorkspaceProvisioner(client(), options).ReadIdentityAsync(user, ct);
    }

    public static IAnsiConsole Console(ParseResult parse) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(parse.InvocationConfiguration.Output) });

    /// <summary>Runs a command body, turning the library's refusals and API errors into messages and exit codes.</summary>
    public static async Task<int> RunAsync(ParseResult parse, Func<Task<int>> body)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return await body();
        }
        catch (PolicyViolationException e)
        {
            await error.WriteLineAsync($"error: {e.Violations.Count} policy violation(s):");
            foreach (var v in e.Violations)
            {
                await error.WriteLineAsync($"  {v}");
            }

            return 2;
        }
        catch (JobsValidationException e)
        {
            await error.WriteLineAsync("error: " + e.Message);
            return 2;
        }
        catch (ServiceSettingsException e)
        {
            await error.WriteLineAsync("error: " + e.Message);
            return 2;
        }
        catch (JobNotFoundException e)
        {
            await error.WriteLineAsync("error: " + e.Message);
            return 3;
        }
        catch (HttpOperationException e)
        {
            string detail = e.Response?.Content is { Length: > 0 } content ? content : e.Message;
            await error.WriteLineAsync($"error: the Kubernetes API answered {(int?)e.Response?.StatusCode ?? 0} {e.Response?.StatusCode}: {detail}");
            return e.Response?.StatusCode == HttpStatusCode.NotFound ? 3 : 1;
        }
        catch (ImagingRepoRequestException e)
        {
            await error.WriteLineAsync($"error: the dataset service answered {(int)e.Status} {e.Status}: {e.Problem?.Detail ?? e.Message}");
            return 1;
        }
        catch (SignInException e)
        {
            await error.WriteLineAsync("error: cannot sign in to the dataset service: " + e.Message);
            return 1;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync("error: cannot reach the Kubernetes API or the dataset service: " + e.Message);
            return 1;
        }
        catch (k8s.Exceptions.KubeConfigException e)
        {
            await error.WriteLineAsync("error: " + e.Message);
            return 1;
        }
    }
}

/// <summary>What a submission with datasets asks of the dataset service, and the container that made them (null when unconfigured).</summary>
internal sealed record DatasetServices(IDatasetAccessGate Gate, IDatasetAccessRecorder Recorder, IDatasetUseTraceSink Traces, ServiceProvider? Owner)
    : IDisposable
{
    public void Dispose() => Owner?.Dispose();
}

/// <summary>
/// The CLI's dataset-access gate while no dataset service is configured (<c>--service</c>): refuses every dataset with an
/// explanation, so that nothing reads data without a check. Jobs without datasets and <c>--dry-run</c> are unaffected.
/// </summary>
internal sealed class UnconfiguredDatasetServices : IDatasetAccessGate, IDatasetAccessRecorder, IDatasetUseTraceSink
{
    public Task<DatasetAccessDecision> CheckAsync(string user, IReadOnlyList<string> datasetIds, CancellationToken cancellationToken = default) =>
        Task.FromResult(DatasetAccessDecision.Deny(datasetIds, "no dataset service is configured for the access check"));

    public Task RecordAccessAsync(DatasetAccessRecord record, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("no dataset service is configured to record dataset access");

    public Task RecordUseDatasetsAsync(UseDatasetsTrace trace, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("no tracer is configured to record USE_DATASETS");
}
