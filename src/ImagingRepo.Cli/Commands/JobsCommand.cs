using System.CommandLine;
using System.Globalization;
using ImagingRepo.Jobs.Lifecycle;
using ImagingRepo.Jobs.Policies;
using ImagingRepo.Jobs.Specs;
using ImagingRepo.Jobs.Workspaces;
using k8s;
using Spectre.Console;

namespace ImagingRepo.Cli.Commands;

/// <summary><c>imagingrepo jobs …</c>: jobman parity (submit, list, details, logs, delete, queue, flavors) plus watch.</summary>
internal static class JobsCommand
{
    public static Command Create()
    {
        var support = new JobsCommandSupport();
        var jobs = new Command("jobs", "Submit and manage in-situ workloads on Kubernetes (batch, HTC, inference, interactive sessions).");
        support.AddTo(jobs);
        jobs.Subcommands.Add(Submit(support));
        jobs.Subcommands.Add(List(support));
        jobs.Subcommands.Add(Details(support));
        jobs.Subcommands.Add(Logs(support));
        jobs.Subcommands.Add(Watch(support));
        jobs.Subcommands.Add(Delete(support));
        jobs.Subcommands.Add(Queue(support));
        jobs.Subcommands.Add(Flavors(support));
        return jobs;
    }

    private static Command Submit(JobsCommandSupport support)
    {
        var image = new Option<string>("--image", "-i") { Description = "container image", Required = true };
        var datasets = new Option<string[]>("--dataset", "-d") { Description = "dataset id to mount read-only (repeatable)", AllowMultipleArgumentsPerToken = true };
        var flavor = new Option<string?>("--resources-flavor", "-r") { Description = "resource flavour (see `jobs flavors`)" };
        var name = new Option<string?>("--name", "-n") { Description = "job name (default: generated from the image)" };
        var completions = new Option<int?>("--shards") { Description = "run as an HTC job with this many indexed shards" };
        var parallelism = new Option<int?>("--parallelism") { Description = "HTC shards running at once (default 1)" };
        var model = new Option<string?>("--model") { Description = "run as an inference job applying this model id" };
        var gpus = new Option<int?>("--gpus") { Description = "GPUs for an inference job (default: the flavour's)" };
        var session = new Option<SessionKind?>("--session") { Description = "start an interactive session (Jupyter or Desktop) instead of a job" };
        var datalake = new Option<bool>("--datalake") { Description = "also mount the data lake read-only" };
        var dryRun = new Option<bool>("--dry-run") { Description = "print exactly the YAML that would be submitted, and submit nothing" };
        var args = new Argument<string[]>("args") { Description = "container arguments (after --)", Arity = ArgumentArity.ZeroOrMore };

        var command = new Command("submit", "Submit a job: jobs submit -i IMAGE [-d DATASET…] [-r FLAVOUR] [--dry-run] -- ARGS");
        foreach (var option in new Option[] { image, datasets, flavor, name, completions, parallelism, model, gpus, session, datalake, dryRun })
        {
            command.Options.Add(option);
        }

        command.Arguments.Add(args);
        command.SetAction((parse, ct) => JobsCommandSupport.RunAsync(parse, async () =>
        {
            var options = support.Options(parse);
            WorkloadSpec spec;
            if (parse.GetValue(session) is { } kind)
            {
                spec = new InteractiveSession { Kind = kind };
            }
            else if (parse.GetValue(model) is { } modelId)
            {
                spec = new InferenceJob { ModelId = modelId, Gpus = parse.GetValue(gpus) };
            }
            else if (parse.GetValue(completions) is { } shards)
            {
                spec = new HtcJob { Completions = shards, Parallelism = parse.GetValue(parallelism) ?? 1 };
            }
            else
            {
                spec = new BatchJob();
            }

            spec.Image = parse.GetValue(image)!;
            spec.Name = parse.GetValue(name);
            spec.Flavor = parse.GetValue(flavor);
            spec.MountDatalake = parse.GetValue(datalake);
            foreach (string d in parse.GetValue(datasets) ?? [])
            {
                spec.DatasetIds.Add(d);
            }

            foreach (string a in parse.GetValue(args) ?? [])
            {
                spec.Arguments.Add(a);
            }

            Kubernetes? kube = null;
            try
            {
                WorkspaceIdentity workspace;
                try
                {
                    workspace = await support.WorkspaceAsync(parse, options, () => kube ??= support.Client(parse), ct);
                }
                catch (Exception e) when (parse.GetValue(dryRun) && e is HttpRequestException or k8s.Exceptions.KubeConfigException)
                {
                    // the only thing a dry run asks the cluster for is the workspace identity, which options can give
                    await parse.InvocationConfiguration.Error.WriteLineAsync(
                        $"error: --dry-run reads {support.UserName(parse)}'s workspace identity from the cluster, which cannot be reached ({e.Message}). " +
                        "To render offline, give it: --dataset-gid GID (the user's dataset group) and -u USER.");
                    return 1;
                }

                if (parse.GetValue(dryRun))
                {
                    // Same checks as a submission, without the cluster: what is printed is what would be created.
                    var prepared = JobsClient.Prepare(new ManifestRenderer(options), new PolicyChecker(options.Policy), options, spec, workspace);
                    await parse.InvocationConfiguration.Output.WriteAsync(prepared.ToYaml());
                    return 0;
                }

                kube ??= support.Client(parse);
                using var services = support.DatasetServices(parse);
                var client = new JobsClient(kube, options, services.Gate, services.Recorder, services.Traces);
                var rendered = await client.SubmitAsync(spec, workspace, ct);
                await parse.InvocationConfiguration.Output.WriteLineAsync($"{rendered.Kind} {rendered.Name} submitted to {rendered.Namespace}");
                return 0;
            }
            finally
            {
                kube?.Dispose();
            }
        }));
        return command;
    }

    private static Command List(JobsCommandSupport support)
    {
        var command = new Command("list", "List your jobs and sessions with their status.");
        command.SetAction((parse, ct) => WithClientAsync(support, parse, ct, async (client, ws) =>
        {
            var table = new Table().AddColumns("Name", "Kind", "Status", "Datasets", "Tool", "Created");
            foreach (var w in await client.ListAsync(ws, ct))
            {
                table.AddRow(Markup.Escape(w.Name), w.Kind, Markup.Escape(w.Status.ToString()), Markup.Escape(string.Join(",", w.DatasetIds)),
                    Markup.Escape($"{w.ToolName}:{w.ToolVersion}"), w.CreatedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "");
            }

            JobsCommandSupport.Console(parse).Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Details(JobsCommandSupport support)
    {
        var name = new Argument<string>("name") { Description = "job or session name" };
        var command = new Command("details", "Show a job's status, reason and pods.");
        command.Arguments.Add(name);
        command.SetAction((parse, ct) => WithClientAsync(support, parse, ct, async (client, ws) =>
        {
            var d = await client.GetAsync(ws, parse.GetValue(name)!, ct);
            var console = JobsCommandSupport.Console(parse);
            var s = d.Summary;
            console.MarkupLine($"[bold]{Markup.Escape(s.Name)}[/] ({s.Kind}) in {Markup.Escape(s.Namespace)}: {Markup.Escape(s.Status.ToString())}");
            if (s.Status.Message is { } message) console.MarkupLine("  " + Markup.Escape(message));
            console.MarkupLine($"  image {Markup.Escape(d.Image ?? "?")}, datasets {Markup.Escape(string.Join(",", s.DatasetIds))}");
            console.MarkupLine($"  pods active {s.Status.Active}, succeeded {s.Status.Succeeded}, failed {s.Status.Failed}");
            var table = new Table().AddColumns("Pod", "Phase", "Reason", "Node");
            foreach (var pod in d.Pods)
            {
                table.AddRow(Markup.Escape(pod.Name), pod.Phase ?? "", Markup.Escape(pod.Reason ?? ""), Markup.Escape(pod.Node ?? ""));
            }

            console.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Logs(JobsCommandSupport support)
    {
        var name = new Argument<string>("name") { Description = "job name" };
        var follow = new Option<bool>("--follow", "-f") { Description = "keep streaming until the container ends" };
        var pod = new Option<int>("--pod") { Description = "which pod of an HTC job (in name order)", DefaultValueFactory = _ => 0 };
        var command = new Command("logs", "Print (or follow) a job's log.")
        {
            name,
            follow,
            pod,
        };
        command.SetAction((parse, ct) => WithClientAsync(support, parse, ct, async (client, ws) =>
        {
            var output = parse.InvocationConfiguration.Output;
            await foreach (string line in client.ReadLogsAsync(ws, parse.GetValue(name)!, parse.GetValue(follow), parse.GetValue(pod), ct))
            {
                await output.WriteLineAsync(line);
            }

            return 0;
        }));
        return command;
    }

    private static Command Watch(JobsCommandSupport support)
    {
        var name = new Argument<string>("name") { Description = "job name" };
        var command = new Command("watch", "Print a job's status transitions (with reasons) until it ends.");
        command.Arguments.Add(name);
        command.SetAction((parse, ct) => WithClientAsync(support, parse, ct, async (client, ws) =>
        {
            WorkloadStatus? last = null;
            await foreach (var status in client.WatchAsync(ws, parse.GetValue(name)!, ct))
            {
                last = status;
                await parse.InvocationConfiguration.Output.WriteLineAsync(status.Message is null ? status.ToString() : $"{status}: {status.Message}");
            }

            return last?.Phase == WorkloadPhase.Succeeded ? 0 : 1;
        }));
        return command;
    }

    private static Command Delete(JobsCommandSupport support)
    {
        var name = new Argument<string>("name") { Description = "job or session name" };
        var command = new Command("delete", "Cancel a job or session; its pods are deleted with it.");
        command.Arguments.Add(name);
        command.SetAction((parse, ct) => WithClientAsync(support, parse, ct, async (client, ws) =>
        {
            string n = parse.GetValue(name)!;
            bool deleted = await client.DeleteAsync(ws, n, ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync(deleted ? $"{n} deleted" : $"no workload named {n}");
            return deleted ? 0 : 3;
        }));
        return command;
    }

    private static Command Queue(JobsCommandSupport support)
    {
        var name = new Argument<string>("name") { Description = "job name" };
        var command = new Command("queue", "Show a job's position among the jobs waiting to run.");
        command.Arguments.Add(name);
        command.SetAction((parse, ct) => WithClientAsync(support, parse, ct, async (client, ws) =>
        {
            var position = await client.GetQueuePositionAsync(ws, parse.GetValue(name)!, ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync(position is null
                ? "not waiting (running or finished)"
                : $"position {position.Position} of {position.Length}{(position.ClusterWide ? "" : " (your namespace only)")}");
            return 0;
        }));
        return command;
    }

    private static Command Flavors(JobsCommandSupport support)
    {
        var command = new Command("flavors", "List the resource flavours.");
        command.Aliases.Add("resources-flavors");
        command.SetAction(parse => JobsCommandSupport.RunAsync(parse, () =>
        {
            var options = support.Options(parse);
            var table = new Table().AddColumns("Flavour", "CPU", "Memory", "GPUs", "Node selector", "Description");
            foreach (var (key, f) in options.Flavors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                table.AddRow(Markup.Escape(key + (key == options.DefaultFlavor ? " (default)" : "")), $"{f.CpuRequest}-{f.CpuLimit}", $"{f.MemoryRequest}-{f.MemoryLimit}",
                    f.Gpus.ToString(CultureInfo.InvariantCulture), Markup.Escape(string.Join(",", f.NodeSelector.Select(kv => $"{kv.Key}={kv.Value}"))), Markup.Escape(f.Description));
            }

            JobsCommandSupport.Console(parse).Write(table);
            return Task.FromResult(0);
        }));
        return command;
    }

    private static Task<int> WithClientAsync(JobsCommandSupport support, ParseResult parse, CancellationToken ct, Func<JobsClient, WorkspaceIdentity, Task<int>> body) =>
        JobsCommandSupport.RunAsync(parse, async () =>
        {
            var options = support.Options(parse);
            using var kube = support.Client(parse);
            var workspace = await support.WorkspaceAsync(parse, options, () => kube, ct);
            using var services = support.DatasetServices(parse);
            return await body(new JobsClient(kube, options, services.Gate, services.Recorder, services.Traces), workspace);
        });
}
