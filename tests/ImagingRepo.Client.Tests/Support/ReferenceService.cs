using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ImagingRepo.Client.Identity;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Client.Tests.Support;

/// <summary>
/// The reference dataset service (ImagingRepo.Service) run as its own process on 127.0.0.1, on SQLite in a temporary
/// folder, validating tokens of the oidc-provider of <c>scripts/services/oidc.sh</c>; the client talks to it over HTTP
/// exactly as to a platform. Personas (<c>scripts/services/oidc-personas.json</c>) sign in with the client's own
/// <see cref="ClientCredentialsTokenProvider"/>.
/// </summary>
public class ReferenceService : IAsyncLifetime
{
    private readonly Process? _process;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "imagingrepo-client-service-" + Guid.NewGuid().ToString("N"));
    private readonly System.Text.StringBuilder _log = new();
    private string? _problem;

    public ReferenceService() : this(dataLakePath: null)
    {
    }

    /// <summary>A service that creates datasets from the local-folder lake at <paramref name="dataLakePath"/> (its durable creation pipeline), or passes creations through when null.</summary>
    protected ReferenceService(string? dataLakePath)
    {
        DataLakePath = dataLakePath;
        Oidc = new OidcServer();
        if (!Oidc.IsAvailable) return;
        var dll = Path.Combine(TestEnvironment.RepositoryRoot, "src", "ImagingRepo.Service", "bin", Configuration, "net10.0", "ImagingRepo.Service.dll");
        if (!File.Exists(dll))
        {
            _problem = $"{dll} is not built";
            return;
        }

        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.Environment["urls"] = BaseAddress.AbsoluteUri.TrimEnd('/');
        start.Environment["ImagingRepo__Service__DataDirectory"] = _data;
        start.Environment["ImagingRepo__Service__Storage__Provider"] = "Sqlite";
        start.Environment["ImagingRepo__Service__Authentication__Mode"] = "Oidc";
        start.Environment["ImagingRepo__Service__Authentication__Authority"] = Oidc.Issuer;
        start.Environment["ImagingRepo__Service__Authentication__Audience"] = Audience;
        start.Environment["ImagingRepo__Service__Authentication__ClockSkew"] = "00:00:00";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (dataLakePath is not null) start.Environment["ImagingRepo__Creation__DataLakePath"] = dataLakePath;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public OidcServer Oidc { get; }

    /// <summary>The lake the service creates datasets from, or null when it passes creations through.</summary>
    protected string? DataLakePath { get; }

    /// <summary>The service's data folder (its database, trace outbox <c>traces.db</c> and ledger).</summary>
    public string DataDirectory => _data;

    /// <summary>The service root; the API is under <c>api/</c>.</summary>
    public Uri BaseAddress { get; } = new("http://127.0.0.1/");

    /// <summary>The API root the clients are given.</summary>
    public Uri Api => new(BaseAddress, "api/");

    public static string Audience =>
        Environment.GetEnvironmentVariable("IMAGINGREPO_OIDC_AUDIENCE") is { Length: > 0 } audience ? audience : "urn:imagingrepo:api";

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    public async Task InitializeAsync()
    {
        if (_process is null) return;
        using var http = new HttpClient();
        for (var i = 0; i < 900 && !_process.HasExited; i++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "api/health"));
                if (response.IsSuccessStatusCode) break;
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        if (_process.HasExited)
        {
            _problem = "the service exited: " + Log;
            return;
        }

        try
        {
            using var tokens = Persona("persona-reader");
            await tokens.GetTokenAsync();
        }
        catch (SignInException e)
        {
            _problem = "the running oidc-provider does not know the test personas (restart it with scripts/services/oidc.sh, which installs " +
                       "scripts/services/oidc-personas.json): " + e.Message;
            return;
        }

        // As on a platform whose users have signed in once, the service knows each persona from its first token; the
        // access check and the ACL name users by these names.
        foreach (var persona in Personas)
        {
            using var client = ClientOf(persona);
            await client.Datasets.GetDatasetPageAsync(null, 0, 1);
        }

        // The projects the personas belong to.
        using var admin = new RepositoryClient(Api, Persona("persona-project-admin"), null);
        foreach (var code in new[] { "ALPHA", "BETA" })
        {
            await admin.Projects.PutProjectAsync(code, new ImagingRepo.Client.Projects.ProjectPut
            {
                Name = $"Project {code}",
                ShortDescription = $"The {code} test project.",
                ProjectConfig = new ImagingRepo.Client.Projects.ProjectConfig
                {
                    DefaultContactInfo = $"contact@{code.ToLowerInvariant()}.example",
                    DefaultLicense = new ImagingRepo.Client.Datasets.License { Title = "CC BY 4.0", Url = "https://creativecommons.org/licenses/by/4.0/" },
                },
            });
        }
    }

    public virtual Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Skips (or under CI fails) when the service or its identity provider is not usable.</summary>
    public void Require()
    {
        Oidc.Require();
        if (_problem is not null)
        {
            if (TestEnvironment.IsCi) throw new InvalidOperationException("CI=true: " + _problem);
            Skip.If(true, _problem);
        }
    }

    /// <summary>The personas of <c>scripts/services/oidc-personas.json</c> that the tests speak as or about.</summary>
    public static IReadOnlyList<string> Personas { get; } =
    [
        "persona-reader", "persona-curator", "persona-curator2", "persona-foreign", "persona-superadmin", "persona-access-admin",
        "persona-user-admin", "persona-project-admin", "persona-alpha-manager",
    ];

    /// <summary>The token provider of a persona (a confidential client whose tokens carry a platform user's claims).</summary>
    public ClientCredentialsTokenProvider Persona(string clientId)
    {
        var options = new SignInOptions
        {
            Flow = SignInFlow.ClientCredentials,
            Authority = new Uri(Oidc.Issuer),
            ClientId = clientId,
            ClientSecret = Oidc.ClientSecret,
            Resource = Audience,
        };
        var http = new HttpClient();
        return new ClientCredentialsTokenProvider(http, new OidcDiscovery(options, () => http), options);
    }

    /// <summary>A repository client speaking as <paramref name="clientId"/>.</summary>
    public RepositoryClient ClientOf(string clientId) => new(Api, Persona(clientId), null);

    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
