using ImagingRepo.Client.Upload;
using Spectre.Console;

namespace ImagingRepo.Cli.Commands;

/// <summary>
/// Follows a <see cref="DatasetUploader"/> run on stderr: progress bars (headers read, studies uploaded, the creation's
/// state) on a terminal; one plain line per change when stderr is redirected (a log, a CI job), so that nothing is lost
/// and no control codes end up in files.
/// </summary>
internal static class UploadProgressView
{
    public static async Task<DatasetUploadReport> RunAsync(Func<IProgress<DatasetUploadProgress>, Task<DatasetUploadReport>> upload)
    {
        if (Console.IsErrorRedirected)
        {
            string? last = null;
            return await upload(new Synchronous(progress =>
            {
                if (Describe(progress) is not { } line || line == last) return;
                last = line;
                Console.Error.WriteLine(line);
            })).ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var scanning = context.AddTask("reading headers").IsIndeterminate();
                ProgressTask? studies = null;
                ProgressTask? creating = null;
                return await upload(new Synchronous(progress =>
                {
                    switch (progress.Stage)
                    {
                        case DatasetUploadStage.Scanning:
                            scanning.Description = Markup.Escape($"read {progress.Instances} files: {progress.StudiesTotal} studies");
                            break;
                        case DatasetUploadStage.Retrieving or DatasetUploadStage.Uploading:
                            scanning.IsIndeterminate(false).Value(scanning.MaxValue);
                            studies ??= context.AddTask("uploading studies", maxValue: Math.Max(1, progress.StudiesTotal));
                            studies.Value = progress.StudiesDone;
                            studies.Description = Markup.Escape($"studies {progress.StudiesDone}/{progress.StudiesTotal}, {progress.Instances} instances");
                            break;
                        case DatasetUploadStage.Creating:
                            studies?.Value(studies.MaxValue);
                            creating ??= context.AddTask("creating the dataset").IsIndeterminate();
                            creating.Description = Markup.Escape(Describe(progress)!);
                            break;
                        case DatasetUploadStage.Finished:
                            scanning.Value(scanning.MaxValue).IsIndeterminate(false);
                            studies?.Value(studies.MaxValue);
                            creating?.IsIndeterminate(false).Value(creating.MaxValue);
                            break;
                    }
                })).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    private static string? Describe(DatasetUploadProgress progress) => progress.Stage switch
    {
        DatasetUploadStage.Scanning => $"read {progress.Instances} files: {progress.StudiesTotal} studies",
        DatasetUploadStage.Retrieving or DatasetUploadStage.Uploading =>
            $"studies {progress.StudiesDone}/{progress.StudiesTotal} done, {progress.Instances} instances uploaded",
        DatasetUploadStage.Creating => "creating the dataset: " + (progress.Creation?.Status?.Value ?? "pending") +
                                       (progress.Creation?.LastMessage is { Length: > 0 } message ? $" ({message})" : ""),
        _ => null,
    };

    /// <summary>Reports on the uploader's own thread, in order (<see cref="Progress{T}"/> would post, and lines could be reordered).</summary>
    private sealed class Synchronous(Action<DatasetUploadProgress> report) : IProgress<DatasetUploadProgress>
    {
        public void Report(DatasetUploadProgress value) => report(value);
    }
}
