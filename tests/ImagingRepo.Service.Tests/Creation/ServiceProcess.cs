using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ImagingRepo.Service.Hosting;

namespace ImagingRepo.Service.Tests.Creation;

/// <summary>
/// The real service (the built ImagingRepo.Service.dll) as a child process on 127.0.0.1, in development mode, with its
/// data directory and settings given on the command line; <see cref="Kill"/> ends it with SIGKILL.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _errors;

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        _output = process.StandardOutput.ReadToEndAsync();
        _errors = process.StandardError.ReadToEndAsync();
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>
    /// Starts the service and waits until it answers <c>/health</c> (two minutes at most); <paramref name="environment"/>
    /// carries what a deployment gives through the environment (secrets).
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> settings,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(ServiceApplication).Assembly.Location);
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        start.ArgumentList.Add($"--ImagingRepo:Service:DataDirectory={dataDirectory}");
        foreach (var (key, value) in settings) start.ArgumentList.Add($"--{key}={value}");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        var service = new ServiceProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"));
        using var probe = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            if (service._process.HasExited) Assert.Fail($"the service exited ({service._process.ExitCode}) at start: {await service.OutputAsync()}");
            try
            {
                using var response = await probe.GetAsync("health", timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK) return service;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>Runs the service's dll once with <paramref name="arguments"/> and <paramref name="environment"/> (two minutes at most).</summary>
    public static async Task<(int ExitCode, string Output)> RunOnceAsync(string workingDirectory, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string>> environment)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(ServiceApplication).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    public HttpClient Client(string user, string roles, string groups = "")
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-ImagingRepo-User", user);
        client.DefaultRequestHeaders.Add("X-ImagingRepo-Roles", roles);
        if (groups.Length > 0) client.DefaultRequestHeaders.Add("X-ImagingRepo-Groups", groups);
        return client;
    }

    /// <summary>SIGKILL: no shutdown, no claim given back.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async Task<string> OutputAsync() => await _output + await _errors;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
