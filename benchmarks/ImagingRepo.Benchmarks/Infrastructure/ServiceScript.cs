using System.Diagnostics;

namespace ImagingRepo.Benchmarks.Infrastructure;

/// <summary>
/// Starts a real server with the project's own <c>scripts/services/NAME.sh</c> for the length of a benchmark and
/// stops it again. The script's <c>export VAR=value</c> lines become this process's environment. When the
/// server's variable is already set (a developer started it), nothing is started or stopped.
/// </summary>
internal sealed class ServiceScript : IAsyncDisposable
{
    private readonly string _script;
    private readonly Dictionary<string, string> _environment;
    private bool _started;

    private ServiceScript(string script, string stateDirectory)
    {
        _script = script;
        _environment = new() { ["IMAGINGREPO_SERVICES_DIR"] = stateDirectory };
    }

    /// <summary>Ensures <paramref name="name"/> runs and <paramref name="variable"/> is set; the result stops what it started.</summary>
    public static async Task<ServiceScript> EnsureAsync(string name, string variable)
    {
        var root = FindRepositoryRoot();
        var service = new ServiceScript(Path.Combine(root, "scripts", "services", name + ".sh"), Path.Combine(root, ".services", "bench"));
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
        {
            return service;
        }

        Console.Error.WriteLine($"starting {name} with scripts/services/{name}.sh (state in .services/bench)");
        var output = await service.RunAsync("start").ConfigureAwait(false);
        service._started = true;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("export ", StringComparison.Ordinal) && line[7..].Split('=', 2) is [var key, var value])
            {
                Environment.SetEnvironmentVariable(key, value.Trim('\'', '"'));
            }
        }

        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"scripts/services/{name}.sh start did not export {variable}");
        }

        return service;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            _started = false;
            await RunAsync("stop").ConfigureAwait(false);
        }
    }

    private async Task<string> RunAsync(string verb)
    {
        var start = new ProcessStartInfo("bash", [_script, verb]) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot run " + _script);
        var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{_script} {verb} exited with {process.ExitCode}");
        }

        return output;
    }

    /// <summary>The checkout this benchmark runs from: the first folder above the binary holding ImagingRepo.sln.</summary>
    internal static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ImagingRepo.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find ImagingRepo.sln above " + AppContext.BaseDirectory);
    }
}
