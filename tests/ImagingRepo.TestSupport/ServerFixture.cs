using Xunit;

using System.Net.Sockets;

namespace ImagingRepo.TestSupport;

/// <summary>
/// A real server started by <c>scripts/services/NAME.sh</c>, found through environment variables that the
/// harness (<c>./test.sh</c>) exports. Use as an xunit class or collection fixture and call <see cref="Require"/>
/// at the start of each test: it skips with the reason on a developer machine and fails under <c>CI=true</c>.
/// </summary>
public abstract class ServerFixture
{
    private readonly Lazy<string?> _problem;

    /// <summary>Creates the fixture.</summary>
    /// <param name="serverName">Human name, e.g. "PostgreSQL".</param>
    /// <param name="script">The start script, e.g. "scripts/services/postgres.sh".</param>
    /// <param name="variables">The environment variables the server needs; the first one holds its endpoint.</param>
    protected ServerFixture(string serverName, string script, params string[] variables)
    {
        ServerName = serverName;
        Script = script;
        Variables = variables;
        _problem = new Lazy<string?>(Probe);
    }

    /// <summary>Human name of the server.</summary>
    public string ServerName { get; }

    /// <summary>The script that starts it.</summary>
    public string Script { get; }

    /// <summary>The environment variables it is configured by.</summary>
    public IReadOnlyList<string> Variables { get; }

    /// <summary>True when the variables are set and the endpoint accepts TCP connections.</summary>
    public bool IsAvailable => _problem.Value is null;

    /// <summary>Skips (or under CI fails) the calling test when the server is not reachable.</summary>
    public void Require()
    {
        if (_problem.Value is { } problem)
        {
            var message = $"{ServerName} is not available: {problem}. Start it with `{Script} start` (or run ./test.sh).";
            if (TestEnvironment.IsCi)
            {
                throw new InvalidOperationException("CI=true: " + message);
            }

            Skip.If(true, message);
        }
    }

    /// <summary>Value of a variable (call <see cref="Require"/> first).</summary>
    protected string Get(string variable) =>
        Environment.GetEnvironmentVariable(variable) ?? throw new InvalidOperationException($"{variable} is not set");

    /// <summary>The host and port to probe, derived from the endpoint variable.</summary>
    protected abstract (string Host, int Port) ProbeAddress();

    private string? Probe()
    {
        var missing = Variables.Where(v => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))).ToArray();
        if (missing.Length > 0)
        {
            return "environment variable(s) not set: " + string.Join(", ", missing);
        }

        var (host, port) = ProbeAddress();
        try
        {
            using var client = new TcpClient();
            if (!client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(3)))
            {
                return $"no answer from {host}:{port} within 3 s";
            }

            return null;
        }
        catch (Exception e) when (e is SocketException or AggregateException)
        {
            return $"cannot connect to {host}:{port} ({e.GetBaseException().Message})";
        }
    }

    /// <summary>Host and port of an absolute URL.</summary>
    protected static (string Host, int Port) FromUrl(string url)
    {
        var uri = new Uri(url);
        return (uri.Host, uri.Port);
    }
}
