using System.CommandLine;

namespace ImagingRepo.Cli;

/// <summary>Runs a command line the way both fronts of <c>imagingrepo</c> do (compiled into the native front too).</summary>
internal static class CliInvocation
{
    /// <summary>The exit code of a usage error: an unknown option, a missing argument, a refused value (docs/cli.md).</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Parses and runs <paramref name="args"/>. System.CommandLine ends a command line that does not parse with 1,
    /// which the commands use for "some input failed"; usage errors get <see cref="UsageError"/> instead.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        var code = await parse.InvokeAsync().ConfigureAwait(false);
        return parse.Errors.Count > 0 ? UsageError : code;
    }
}
