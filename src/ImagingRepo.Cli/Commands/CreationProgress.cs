using ImagingRepo.Client.Datasets;
using Spectre.Console;

namespace ImagingRepo.Cli.Commands;

/// <summary>
/// Follows a dataset creation to its end on stderr: a live status line on a terminal, one plain line per change of
/// state when stderr is redirected (a log, a CI job), so that nothing is lost and no control codes end up in files.
/// </summary>
internal static class CreationProgress
{
    public static async Task<DatasetDetails> WaitAsync(DatasetCreationOperation operation, CancellationToken cancellationToken)
    {
        if (Console.IsErrorRedirected)
        {
            string? last = null;
            var lines = new Progress<DatasetCreationStatus>(status =>
            {
                var line = Describe(operation.Id, status);
                if (line == last) return;
                last = line;
                Console.Error.WriteLine(line);
            });
            return await operation.WaitForCompletionAsync(lines, cancellationToken).ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Status().StartAsync(Markup.Escape($"creating dataset {operation.Id}"), async context =>
        {
            var live = new Progress<DatasetCreationStatus>(status => context.Status(Markup.Escape(Describe(operation.Id, status))));
            return await operation.WaitForCompletionAsync(live, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static string Describe(string id, DatasetCreationStatus status) =>
        $"dataset {id}: {status.Status?.Value ?? "pending"}" + (status.LastMessage is { Length: > 0 } message ? $" ({message})" : "");
}
