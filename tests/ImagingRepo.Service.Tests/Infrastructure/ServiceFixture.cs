using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Traces;
using ImagingRepo.TestSupport;
using ImagingRepo.Tracing.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImagingRepo.Service.Tests.Infrastructure;

/// <summary>
/// The service started for real on 127.0.0.1 (Kestrel on a free port), validating tokens from the oidc-provider of
/// <c>scripts/services/oidc.sh</c>, with its metadata in the database a derived fixture chooses. Callers get
/// <see cref="HttpClient"/>s that speak as a persona.
/// </summary>
public abstract class ServiceFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> _shared = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new();
    private WebApplication? _app;
    private string? _problem;

    /// <summary>The OIDC provider the tokens come from.</summary>
    public OidcServer Oidc { get; } = new();

    /// <summary>Where the service answers, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The service's data directory (SQLite files, trace outbox and ledger).</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "imagingrepo-service-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The running application (for its services).</summary>
    internal WebApplication App => _app ?? throw new InvalidOperationException("the service did not start: call Require() first");

    /// <summary>The creation queue of the tests.</summary>
    internal HoldingCreationQueue Creation => App.Services.GetRequiredService<HoldingCreationQueue>();

    /// <summary>A short name of the database, for messages.</summary>
    public abstract string StorageName { get; }

    /// <summary>The secret EUCAIM's federated search must send to this service.</summary>
    public const string EucaimSecret = "eucaim-test-secret";

    /// <summary>Whether callers prove themselves with oidc-provider tokens; otherwise the service runs in its development mode.</summary>
    protected virtual bool UsesOidc => true;

    public async Task InitializeAsync()
    {
        if ((UsesOidc && !Oidc.IsAvailable) || StorageProblem() is not null) return;
        if (UsesOidc)
        {
            try
            {
                await TokenAsync(Personas.Reader);
            }
            catch (HttpRequestException e)
            {
                _problem = "the running oidc-provider does not know the test personas (restart it with scripts/services/oidc.sh, which installs " +
                           "scripts/services/oidc-personas.json): " + e.Message;
                return;
            }
        }

        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["ImagingRepo:Service:DataDirectory"] = DataDirectory,
            ["ImagingRepo:Service:CorsOrigins:0"] = "http://explorer.example",
            ["ImagingRepo:Service:EucaimSearchToken"] = EucaimSecret,
            ["ImagingRepo:Service:SearchRequestsPerMinute"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (UsesOidc)
        {
            settings["ImagingRepo:Service:Authentication:Mode"] = "Oidc";
            settings["ImagingRepo:Service:Authentication:Authority"] = Oidc.Issuer;
            settings["ImagingRepo:Service:Authentication:Audience"] = Audience;
            settings["ImagingRepo:Service:Authentication:ClockSkew"] = "00:00:00";
        }
        else
        {
            settings["ImagingRepo:Service:Authentication:Mode"] = "Development";
        }

        foreach (var (key, value) in await StorageSettingsAsync()) settings[key] = value;

        _app = ServiceApplication.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton<HoldingCreationQueue>();
            builder.Services.AddSingleton<IDatasetCreationQueue>(sp => sp.GetRequiredService<HoldingCreationQueue>());
        });
        await ServiceApplication.InitializeAsync(_app);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
        if (UsesOidc) await SeedProjectsAsync();
    }

    /// <summary>The projects every test uses: ALPHA (the personas' project) and BETA (the foreign one).</summary>
    private async Task SeedProjectsAsync()
    {
        using var admin = await ClientAsync(Personas.ProjectAdmin);
        foreach (var code in new[] { "ALPHA", "BETA" })
        {
            var body = new System.Text.Json.Nodes.JsonObject
            {
                ["name"] = $"Project {code}",
                ["shortDescription"] = $"The {code} test project.",
                ["projectConfig"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["defaultContactInfo"] = $"contact@{code.ToLowerInvariant()}.example",
                    ["defaultLicense"] = new System.Text.Json.Nodes.JsonObject { ["title"] = "CC BY 4.0", ["url"] = "https://creativecommons.org/licenses/by/4.0/" },
                },
            };
            await admin.SendJsonAsync(HttpMethod.Put, $"api/projects/{code}", body.ToJsonString()).ExpectAsync(System.Net.HttpStatusCode.Created);
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _http.Dispose();
        await DropStorageAsync();
        if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>Skips (or, under CI, fails) the test when the servers it needs are missing.</summary>
    public void Require()
    {
        if (UsesOidc) Oidc.Require();
        RequireStorage();
        if (_problem is not null)
        {
            if (TestEnvironment.IsCi) throw new InvalidOperationException("CI=true: " + _problem);
            Skip.If(true, _problem);
        }
    }

    /// <summary>A client of the service that sends <paramref name="persona"/>'s token (none for <see cref="Personas.Anonymous"/>).</summary>
    public async Task<HttpClient> ClientAsync(string persona)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (persona != Personas.Anonymous) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(persona));
        return client;
    }

    /// <summary>An access token of <paramref name="persona"/> (client credentials), cached except for the expiring persona.</summary>
    public async Task<string> TokenAsync(string persona)
    {
        if (persona != Personas.Expiring && _tokens.TryGetValue(persona, out var cached)) return cached;
        using var request = new HttpRequestMessage(HttpMethod.Post, Oidc.Issuer.TrimEnd('/') + "/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("resource", Audience)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Uri.EscapeDataString(persona) + ":" + Uri.EscapeDataString(Oidc.ClientSecret))));
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"token for {persona}: {(int)response.StatusCode} {body}");
        var token = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
        _tokens[persona] = token;
        return token;
    }

    /// <summary>A value made once per fixture (datasets several tests only read), by the first caller.</summary>
    public async Task<T> SharedAsync<T>(string key, Func<Task<T>> make) where T : class =>
        (T)await _shared.GetOrAdd(key, _ => new Lazy<Task<object>>(async () => await make())).Value;

    /// <summary>Hands what is pending to the trace outbox now (the forwarder also does so in the background).</summary>
    internal async Task<ImagingRepo.Tracing.TraceStore> FlushTracesAsync()
    {
        await App.Services.GetRequiredService<TraceForwarder>().ForwardAsync(CancellationToken.None);
        return await App.Services.GetRequiredService<TraceStoreProvider>().GetStoreAsync();
    }

    private static string Audience => Environment.GetEnvironmentVariable("IMAGINGREPO_OIDC_AUDIENCE") is { Length: > 0 } audience ? audience : "urn:imagingrepo:api";

    /// <summary>Why the database cannot be used, or null.</summary>
    protected abstract string? StorageProblem();

    /// <summary>Skips when the database is missing.</summary>
    protected abstract void RequireStorage();

    /// <summary>The storage settings of the service.</summary>
    protected abstract Task<IReadOnlyDictionary<string, string?>> StorageSettingsAsync();

    /// <summary>Removes what the storage settings made.</summary>
    protected virtual Task DropStorageAsync() => Task.CompletedTask;
}

/// <summary>The service on its embedded SQLite database.</summary>
public sealed class SqliteServiceFixture : ServiceFixture
{
    public override string StorageName => "SQLite";

    protected override string? StorageProblem() => null;

    protected override void RequireStorage()
    {
    }

    protected override Task<IReadOnlyDictionary<string, string?>> StorageSettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?> { ["ImagingRepo:Service:Storage:Provider"] = "Sqlite" });
}

/// <summary>The service on PostgreSQL (<c>scripts/services/postgres.sh</c>), in a schema of its own that is dropped afterwards.</summary>
public sealed class PostgresServiceFixture : ServiceFixture
{
    private readonly PostgresServer _postgres = new();
    private string? _schema;

    public override string StorageName => "PostgreSQL";

    protected override string? StorageProblem() => _postgres.IsAvailable ? null : "PostgreSQL is not available";

    protected override void RequireStorage() => _postgres.Require();

    protected override async Task<IReadOnlyDictionary<string, string?>> StorageSettingsAsync()
    {
        _schema = "service_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new Npgsql.NpgsqlConnection(_postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand($"CREATE SCHEMA {_schema}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new Dictionary<string, string?>
        {
            ["ImagingRepo:Service:Storage:Provider"] = "PostgreSql",
            ["ImagingRepo:Service:Storage:PostgreSqlConnectionString"] =
                new Npgsql.NpgsqlConnectionStringBuilder(_postgres.ConnectionString) { SearchPath = _schema }.ToString(),
        };
    }

    protected override async Task DropStorageAsync()
    {
        if (_schema is null) return;
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var connection = new Npgsql.NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>The service in its insecure development mode (headers name the caller) on SQLite: needs no other server.</summary>
public sealed class DevelopmentServiceFixture : ServiceFixture
{
    public override string StorageName => "SQLite";

    protected override bool UsesOidc => false;

    protected override string? StorageProblem() => null;

    protected override void RequireStorage()
    {
    }

    protected override Task<IReadOnlyDictionary<string, string?>> StorageSettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>());

    /// <summary>A client that names its caller with the development headers.</summary>
    public HttpClient Client(string? user, string roles = "", string groups = "")
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (user is not null) client.DefaultRequestHeaders.Add("X-ImagingRepo-User", user);
        if (roles.Length > 0) client.DefaultRequestHeaders.Add("X-ImagingRepo-Roles", roles);
        if (groups.Length > 0) client.DefaultRequestHeaders.Add("X-ImagingRepo-Groups", groups);
        return client;
    }
}
