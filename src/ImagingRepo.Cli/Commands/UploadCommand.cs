using System.CommandLine;
using System.Text.Json;
using ImagingRepo.Client;
using ImagingRepo.Client.Datasets;
using ImagingRepo.Client.Storage;
using ImagingRepo.Client.Upload;
using ImagingRepo.Dicom.Deidentification.Policy;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using Microsoft.Extensions.DependencyInjection;

namespace ImagingRepo.Cli.Commands;

/// <summary>
/// <c>imagingrepo upload SRC --project P</c>: a thin shell over the Client's <see cref="DatasetUploader.UploadFolderAsync"/>:
/// a provider's folder of DICOM files de-identified, uploaded to the data lake, journalled and made a dataset, with
/// progress on stderr and the per-study report on stdout (or <c>--json</c>).
/// </summary>
internal static class UploadCommand
{
    public static Command Create()
    {
        var source = new Argument<DirectoryInfo>("SRC") { Description = "A folder of DICOM files (an export, a CD), searched recursively; files are grouped into studies by Study Instance UID." };
        var project = new Option<string>("--project") { Description = "The code of the dataset's project. Required.", Required = true };
        var name = new Option<string?>("--name") { Description = "The dataset's name (default: SRC's folder name)." };
        var version = new Option<string>("--version") { Description = "The dataset's version label (default 1).", DefaultValueFactory = _ => "1" };
        var description = new Option<string?>("--description") { Description = "The dataset's description." };
        var keyFile = new Option<FileInfo?>("--key-file") { Description = "The project's secret de-identification key (base64 or hex text, at least 16 bytes), as for deid. Required." };
        var policy = new Option<FileInfo?>("--policy") { Description = "The project's de-identification policy (JSON), as for deid (default: the Basic Profile)." };
        var prefix = new Option<string?>("--prefix") { Description = "The lake key prefix of the de-identified studies (default: the project code, e.g. ALPHA/)." };
        var lake = new Option<string?>("--lake")
        {
            Description = "The data lake: a folder, or s3://BUCKET[/PREFIX] (endpoint and keys from ImagingRepo:DataLake:S3 in --config or " +
                          "IMAGINGREPO_DATALAKE__S3__SERVICEURL, __ACCESSKEY, __SECRETKEY); default: ImagingRepo:DataLake of the settings (a local folder ./datalake).",
        };
        var journal = new Option<FileInfo?>("--journal") { Description = "The resumable journal (default: ./<SRC name>.upload.jsonl); rerun with the same journal to go on where a run stopped." };
        var release = new Option<bool>("--release") { Description = "Release the dataset once created (default: it stays a draft)." };
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON object (items, files, journal, dataset)." };
        var command = new Command("upload",
            "De-identify a folder of DICOM files, upload it to the data lake and make it a dataset (resumable: a rerun with the same journal skips finished studies).")
        {
            source, project, name, version, description, keyFile, policy, prefix, lake, journal, release, json,
        };
        ServiceOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) => ServiceOptions.GuardAsync(parse, async () =>
        {
            var folder = parse.GetValue(source)!;
            if (!folder.Exists) throw new ServiceSettingsException("SRC", $"{folder.FullName} is not a folder");
            var code = parse.GetValue(project)!;
            var journalPath = parse.GetValue(journal)?.FullName ?? Path.GetFullPath(folder.Name + ".upload.jsonl");
            var request = new DatasetFolderUploadRequest
            {
                Folder = folder.FullName,
                Dataset = new DatasetCreationRequest
                {
                    Name = parse.GetValue(name) ?? folder.Name,
                    Version = parse.GetValue(version),
                    Project = code,
                    Description = parse.GetValue(description),
                },
                KeyPrefix = parse.GetValue(prefix) ?? code + "/",
                Key = Key(parse.GetValue(keyFile)),
                JournalPath = journalPath,
            };
            var options = new DatasetUploadOptions { Release = parse.GetValue(release), Deidentification = { Policy = Policy(parse.GetValue(policy)) } };
            var lakeSetting = parse.GetValue(lake);
            using var services = ServiceConnection.Require(parse.GetValue(ServiceOptions.Service), parse.GetValue(ServiceOptions.Config),
                settings => ChooseLake(lakeSetting, settings.DataLake));
            var uploader = new DatasetUploader(services.GetRequiredService<IDataLakeStorage>(), services.GetRequiredService<DatasetsClient>(), options, null);
            DatasetUploadReport report;
            try
            {
                report = await UploadProgressView.RunAsync(progress => uploader.UploadFolderAsync(request, progress, cancellationToken)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DataLakeException or Amazon.Runtime.AmazonServiceException or DatasetCreationFailedException)
            {
                // What the journal keeps stays done: the same command goes on from there once the lake or the service is fixed.
                var what = e is DatasetCreationFailedException ? "" : "the data lake: ";
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {what}{e.Message}; rerun with --journal {journalPath} to go on").ConfigureAwait(false);
                return 1;
            }
            catch (UploadJournalMismatchException e)
            {
                throw new ServiceSettingsException("--journal", e.Message, e);
            }

            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync(parse.GetValue(json) ? Json(report, journalPath) : Text(report, journalPath)).ConfigureAwait(false);
            return report.Succeeded ? 0 : 1;
        }));
        return command;
    }

    /// <summary>A folder lake, or an S3 bucket (with an optional key prefix) over the settings' endpoint and keys.</summary>
    private static void ChooseLake(string? lake, DataLakeOptions options)
    {
        if (string.IsNullOrEmpty(lake)) return;
        if (lake.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            var path = lake["s3://".Length..];
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            var bucket = slash < 0 ? path : path[..slash];
            if (bucket.Length == 0) throw new ServiceSettingsException("--lake", $"'{lake}' names no bucket: give s3://BUCKET[/PREFIX]");
            options.Kind = DataLakeKind.S3;
            options.S3.Bucket = bucket;
            if (slash >= 0 && path[(slash + 1)..] is { Length: > 0 } keyPrefix) options.S3.KeyPrefix = keyPrefix.EndsWith('/') ? keyPrefix : keyPrefix + "/";
            return;
        }

        options.Kind = DataLakeKind.LocalFolder;
        options.LocalPath = Path.GetFullPath(lake);
    }

    private static DeidentificationKey Key(FileInfo? file)
    {
        if (file is null)
        {
            throw new ServiceSettingsException("--key-file", "is required: the project's secret key (for example: head -c 32 /dev/urandom | base64 > project.key)");
        }

        try
        {
            return DeidentificationKey.FromFile(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            throw new ServiceSettingsException("--key-file", e.Message, e);
        }
    }

    private static DeidentificationPolicy? Policy(FileInfo? file)
    {
        if (file is null) return null;
        try
        {
            return DeidentificationPolicy.Load(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DeidentificationPolicyException)
        {
            throw new ServiceSettingsException("--policy", e.Message, e);
        }
    }

    /// <summary>One line per study and per file in no study, the counts, then the outcome.</summary>
    private static string Text(DatasetUploadReport report, string journal)
    {
        var lines = new List<string>();
        foreach (var item in report.Items)
        {
            var where = string.Join(", ", item.LakeStudies);
            lines.Add(item.Outcome switch
            {
                DatasetUploadOutcome.Uploaded => $"uploaded     {item.StudyInstanceUid}  {item.Instances} instances -> {where}" +
                                                 (item.Quarantined > 0 ? $" ({item.Quarantined} quarantined)" : ""),
                DatasetUploadOutcome.Skipped => $"skipped      {item.StudyInstanceUid}  uploaded by an earlier run -> {where}",
                DatasetUploadOutcome.Quarantined => $"quarantined  {item.StudyInstanceUid}  all {item.Quarantined} instances set aside by the policy",
                _ => $"failed       {item.StudyInstanceUid}  {item.Reason}",
            });
        }

        foreach (var file in report.Files)
        {
            lines.Add($"{(file.Outcome == DatasetUploadFileOutcome.Ignored ? "ignored " : "failed  ")}     {file.Path}  {file.Reason}");
        }

        int Count(DatasetUploadOutcome outcome) => report.Items.Count(i => i.Outcome == outcome);
        var failedFiles = report.Files.Count(f => f.Outcome == DatasetUploadFileOutcome.Failed);
        lines.Add($"studies: {Count(DatasetUploadOutcome.Uploaded)} uploaded, {Count(DatasetUploadOutcome.Skipped)} skipped, " +
                  $"{Count(DatasetUploadOutcome.Quarantined)} quarantined, {Count(DatasetUploadOutcome.Failed)} failed; " +
                  $"files in no study: {report.Files.Count - failedFiles} ignored, {failedFiles} failed; journal: {journal}");
        lines.Add(report.Dataset is { } dataset
            ? $"dataset {dataset.Id} created: {dataset.StudiesCount ?? 0} studies, {dataset.SubjectsCount ?? 0} subjects, {(dataset.Draft == true ? "draft" : "released")}"
            : report.Items.Count == 0 ? "no dataset created: the folder holds no DICOM study"
            : $"no dataset created: {Count(DatasetUploadOutcome.Failed)} studies and {failedFiles} files failed; fix or remove them and rerun with --journal {journal}");
        return string.Join(Environment.NewLine, lines);
    }

    private static string Json(DatasetUploadReport report, string journal) =>
        JsonSerializer.Serialize(new UploadReportJson(
            [.. report.Items.Select(i => new UploadItemJson(i.StudyInstanceUid, Camel(i.Outcome.ToString()), i.Instances, i.Quarantined, i.LakeStudies, i.Reason))],
            [.. report.Files.Select(f => new UploadFileJson(f.Path, Camel(f.Outcome.ToString()), f.Reason))],
            journal, report.Dataset), DatasetsJsonContext.Default.UploadReportJson);

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
