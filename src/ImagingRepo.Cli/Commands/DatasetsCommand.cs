using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ImagingRepo.Client;
using ImagingRepo.Client.Datasets;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace ImagingRepo.Cli.Commands;

/// <summary>
/// <c>imagingrepo datasets …</c>: a thin shell over the Client's <see cref="DatasetsClient"/> and access history: find
/// and read datasets (tables, or <c>--json</c> in the service's wire form), create one from a creation request and
/// follow it to its end, and curate it (release, publish, invalidate).
/// </summary>
internal static class DatasetsCommand
{
    private static readonly Option<bool> Json = new("--json") { Description = "Print JSON (one object per line for lists) instead of tables.", Recursive = true };

    public static Command Create()
    {
        var command = new Command("datasets", "Find, read, create and curate the datasets of a dataset service.") { Json };
        ServiceOptions.AddTo(command);
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Studies());
        command.Subcommands.Add(AccessHistory());
        command.Subcommands.Add(CreateDataset());
        command.Subcommands.Add(Curate("release", "Release a draft: others in the project may use it; its content is fixed.", "released",
            (client, id, _, ct) => client.Datasets.ReleaseAsync(id, ct)));
        command.Subcommands.Add(Curate("publish", "Publish a released dataset: everyone may see it.", "published",
            (client, id, _, ct) => client.Datasets.PublishAsync(id, ct)));
        command.Subcommands.Add(Curate("invalidate", "Invalidate a dataset: it may no longer be used.", "invalidated",
            (client, id, reason, ct) => client.Datasets.InvalidateAsync(id, reason, ct), withReason: true));
        return command;
    }

    private static Command List()
    {
        var project = new Option<string?>("--project") { Description = "Only this project's datasets." };
        var search = new Option<string?>("--search") { Description = "Only datasets whose name or description contains this text." };
        var tags = new Option<string[]>("--tag") { Description = "Only datasets with this tag (repeatable).", AllowMultipleArgumentsPerToken = true };
        var drafts = new Option<bool>("--drafts") { Description = "Only drafts." };
        var published = new Option<bool>("--public") { Description = "Only public datasets." };
        var invalidated = new Option<bool>("--invalidated") { Description = "Include invalidated datasets (default: valid ones only)." };
        var limit = new Option<int>("--limit") { Description = "At most this many datasets (default 100; 0: all, fetched page by page).", DefaultValueFactory = _ => 100 };
        var command = new Command("list", "List the datasets you may see: id, name, version, project, state, studies, subjects, created.")
        {
            project, search, tags, drafts, published, invalidated, limit,
        };
        command.SetAction((parse, ct) => RunAsync(parse, async (client, output) =>
        {
            var query = new DatasetQuery
            {
                Project = parse.GetValue(project),
                SearchString = parse.GetValue(search),
                Tags = parse.GetValue(tags) is { Length: > 0 } t ? t : null,
                Draft = parse.GetValue(drafts) ? true : null,
                Public = parse.GetValue(published) ? true : null,
                Invalidated = parse.GetValue(invalidated) ? null : false,
            };
            var max = parse.GetValue(limit);
            var table = new Table().AddColumns("Id", "Name", "Version", "Project", "State", "Studies", "Subjects", "Created");
            var count = 0;
            await foreach (var dataset in client.Datasets.GetDatasetsAsync(query, ct).ConfigureAwait(false))
            {
                if (max > 0 && count == max) break;
                count++;
                if (parse.GetValue(Json))
                {
                    await output.WriteLineAsync(JsonSerializer.Serialize(dataset, DatasetsJsonContext.Default.DatasetListItem)).ConfigureAwait(false);
                    continue;
                }

                table.AddRow(Cells(dataset.Id, dataset.Name, dataset.Version, dataset.Project,
                    State(dataset.Draft, dataset.Public, dataset.Invalidated, dataset.Corrupted), Number(dataset.StudiesCount), Number(dataset.SubjectsCount),
                    Date(dataset.CreationDate)));
            }

            if (!parse.GetValue(Json))
            {
                CliConsole.Create().Write(table);
                await output.WriteLineAsync($"{count} datasets").ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("ID") { Description = "The dataset id." };
        var command = new Command("show", "Show a dataset's details: metadata, state, license, counts, and what you may do with it.") { id };
        command.SetAction((parse, ct) => RunAsync(parse, async (client, output) =>
        {
            var dataset = await client.Datasets.GetDatasetAsync(parse.GetValue(id)!, ct).ConfigureAwait(false);
            if (parse.GetValue(Json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(dataset, DatasetsJsonContext.Default.DatasetDetails)).ConfigureAwait(false);
                return 0;
            }

            var grid = new Grid().AddColumn().AddColumn();
            void Row(string name, string? value)
            {
                if (!string.IsNullOrEmpty(value)) grid.AddRow(Markup.Escape(name), Markup.Escape(value));
            }

            Row("Id", dataset.Id);
            Row("Name", dataset.Name);
            Row("Version", dataset.Version);
            Row("Project", dataset.Subproject is { Length: > 0 } sub ? $"{dataset.Project} / {sub}" : dataset.Project);
            Row("State", State(dataset.Draft, dataset.Public, dataset.Invalidated, dataset.Corrupted) + (dataset.Creating == true ? ", being created" : ""));
            Row("Invalidation reason", dataset.InvalidationReason);
            Row("Author", dataset.AuthorName);
            Row("Created", Date(dataset.CreationDate));
            Row("Description", dataset.Description);
            Row("Purpose", dataset.Purpose);
            Row("Type", Join(dataset.Type?.Select(t => t.Value)));
            Row("Collection method", Join(dataset.CollectionMethod?.Select(m => m.Value)));
            Row("License", dataset.License?.Title);
            Row("Contact", dataset.ContactInfo);
            Row("Studies", Number(dataset.StudiesCount));
            Row("Subjects", Number(dataset.SubjectsCount));
            Row("Modalities", Join(dataset.Modality));
            Row("Tags", Join(dataset.Tags));
            Row("Previous version", dataset.PreviousId);
            Row("Next version", dataset.NextId);
            Row("Last integrity check", Date(dataset.LastIntegrityCheck));
            Row("You may", Join(dataset.AllowedActionsForTheUser?.Select(a => a.Value)));
            CliConsole.Create().Write(grid);
            return 0;
        }));
        return command;
    }

    private static Command Studies()
    {
        var id = new Argument<string>("ID") { Description = "The dataset id." };
        var command = new Command("studies", "List a dataset's studies: study id and name, subject, series, size.") { id };
        command.SetAction((parse, ct) => RunAsync(parse, async (client, output) =>
        {
            var table = new Table().AddColumns("Study", "Name", "Subject", "Series", "Bytes");
            var count = 0;
            await foreach (var study in client.Datasets.GetStudiesAsync(parse.GetValue(id)!, ct).ConfigureAwait(false))
            {
                count++;
                if (parse.GetValue(Json))
                {
                    await output.WriteLineAsync(JsonSerializer.Serialize(study, DatasetsJsonContext.Default.Study)).ConfigureAwait(false);
                    continue;
                }

                table.AddRow(Cells(study.StudyId, study.StudyName, study.SubjectName, Number(study.Series?.Count),
                    study.SizeInBytes?.ToString(CultureInfo.InvariantCulture)));
            }

            if (!parse.GetValue(Json))
            {
                CliConsole.Create().Write(table);
                await output.WriteLineAsync($"{count} studies").ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command AccessHistory()
    {
        var id = new Argument<string>("ID") { Description = "The dataset id." };
        var command = new Command("access-history", "List who used a dataset, when, with which tool (needs the right to read the history).") { id };
        command.SetAction((parse, ct) => RunAsync(parse, async (client, output) =>
        {
            var table = new Table().AddColumns("Time", "User", "Type", "Instance", "Tool", "Image", "Flavour");
            var count = 0;
            await foreach (var access in client.Access.GetAccessHistoryAsync(parse.GetValue(id)!, ct).ConfigureAwait(false))
            {
                count++;
                if (parse.GetValue(Json))
                {
                    await output.WriteLineAsync(JsonSerializer.Serialize(access, DatasetsJsonContext.Default.DatasetAccess)).ConfigureAwait(false);
                    continue;
                }

                table.AddRow(Cells(Date(access.StartTime ?? access.CreationTime), access.Username, access.AccessType?.Value, access.InstanceName,
                    access.ToolName is null ? null : $"{access.ToolName}:{access.ToolVersion}", access.Image, access.ResourcesFlavor));
            }

            if (!parse.GetValue(Json))
            {
                CliConsole.Create().Write(table);
                await output.WriteLineAsync($"{count} accesses").ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command CreateDataset()
    {
        var request = new Argument<FileInfo>("REQUEST") { Description = "A JSON file with the creation request as the API takes it (name, project, studies, subjects …)." };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the new id and return; follow it later with `datasets show ID`." };
        var command = new Command("create", "Create a dataset from a creation request and follow the creation to its end (progress on stderr).")
        {
            request, noWait,
        };
        command.SetAction((parse, ct) => RunAsync(parse, async (client, output) =>
        {
            var file = parse.GetValue(request)!;
            DatasetCreationRequest? body;
            try
            {
                var stream = file.OpenRead();
                await using (stream.ConfigureAwait(false))
                {
                    body = await JsonSerializer.DeserializeAsync(stream, DatasetsJsonContext.Default.DatasetCreationRequest, ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                throw new ServiceSettingsException("REQUEST", $"{file.Name}: {e.Message}", e);
            }

            if (body is null) throw new ServiceSettingsException("REQUEST", $"{file.Name} holds no creation request");
            var operation = await client.Datasets.StartCreateDatasetAsync(body, ct).ConfigureAwait(false);
            var asJson = parse.GetValue(Json);
            if (parse.GetValue(noWait))
            {
                await output.WriteLineAsync(asJson
                    ? JsonSerializer.Serialize(new Dictionary<string, string?> { ["id"] = operation.Id, ["url"] = operation.ExplorerUrl?.AbsoluteUri },
                        DatasetsJsonContext.Default.DictionaryStringString)
                    : $"dataset {operation.Id} is being created").ConfigureAwait(false);
                return 0;
            }

            var created = await CreationProgress.WaitAsync(operation, ct).ConfigureAwait(false);
            await output.WriteLineAsync(asJson
                ? JsonSerializer.Serialize(created, DatasetsJsonContext.Default.DatasetDetails)
                : $"dataset {created.Id} created: {created.StudiesCount ?? 0} studies, {created.SubjectsCount ?? 0} subjects").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Curate(string name, string description, string done,
        Func<RepositoryClient, string, string?, CancellationToken, Task> action, bool withReason = false)
    {
        var id = new Argument<string>("ID") { Description = "The dataset id." };
        var reason = new Option<string?>("--reason") { Description = "Why (kept with the dataset)." };
        var command = new Command(name, description) { id };
        if (withReason) command.Options.Add(reason);
        command.SetAction((parse, ct) => RunAsync(parse, async (client, output) =>
        {
            var dataset = parse.GetValue(id)!;
            await action(client, dataset, withReason ? parse.GetValue(reason) : null, ct).ConfigureAwait(false);
            await output.WriteLineAsync(parse.GetValue(Json)
                ? JsonSerializer.Serialize(new Dictionary<string, string?> { ["id"] = dataset, ["state"] = done }, DatasetsJsonContext.Default.DictionaryStringString)
                : $"dataset {dataset} {done}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Task<int> RunAsync(ParseResult parse, Func<RepositoryClient, TextWriter, Task<int>> body) =>
        ServiceOptions.RunAsync(parse, async services =>
            await body(services.GetRequiredService<RepositoryClient>(), parse.InvocationConfiguration.Output).ConfigureAwait(false));

    private static string[] Cells(params string?[] values) => values.Select(v => Markup.Escape(v ?? "")).ToArray();

    private static string State(bool? draft, bool? published, bool? invalidated, bool? corrupted) =>
        string.Join(", ", new[]
        {
            draft == true ? "draft" : "released",
            published == true ? "public" : null,
            invalidated == true ? "invalidated" : null,
            corrupted == true ? "corrupted" : null,
        }.Where(s => s is not null));

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Date(DateTimeOffset? value) => value?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string? Join(IEnumerable<string>? values) => values is null ? null : string.Join(", ", values);
}
