using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Storage;
using ImagingRepo.Service.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ImagingRepo.Service.Tests.Users;

/// <summary>The Keycloak directory against a stand-in realm that checks every admin API request it gets.</summary>
public sealed class KeycloakIdentityDirectoryTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "imagingrepo-keycloak-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private KeycloakStandIn _keycloak = null!;
    private ServiceProvider _services = null!;

    private IIdentityDirectory Directory => _services.GetRequiredService<IIdentityDirectory>();

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_dataDirectory);
        _keycloak = await KeycloakStandIn.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(_keycloak)).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        // The resilience pipeline takes the container's TimeProvider for its delays: it keeps the real clock, and only
        // the token cache runs on the fake one, so that a token can be made to expire.
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<ServiceOptions>();
        services.AddSingleton<Database>(_ => new SqliteDatabase(Path.Combine(_dataDirectory, "service.db")));
        services.AddSingleton<IMigrationSource, ServiceMigrations>();
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<UserRepository>();
        services.AddIdentityDirectory(configuration);
        services.AddSingleton(sp => new KeycloakTokenSource(sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<IOptions<IdentityDirectoryOptions>>(), _time));
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        await _services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _keycloak.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(_dataDirectory)) System.IO.Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>What the service's configuration says to use the stand-in (the secret is the stand-in's own, made per run).</summary>
    internal static Dictionary<string, string?> Settings(KeycloakStandIn keycloak) => new()
    {
        ["ImagingRepo:Service:IdentityDirectory:Kind"] = "Keycloak",
        ["ImagingRepo:Service:IdentityDirectory:BaseUrl"] = keycloak.BaseUrl.AbsoluteUri,
        ["ImagingRepo:Service:IdentityDirectory:Realm"] = KeycloakStandIn.Realm,
        ["ImagingRepo:Service:IdentityDirectory:ClientId"] = KeycloakStandIn.ClientId,
        ["ImagingRepo:Service:IdentityDirectory:ClientSecret"] = keycloak.ClientSecret,
        ["ImagingRepo:Service:IdentityDirectory:RolesClientId"] = KeycloakStandIn.RolesClient,
        ["ImagingRepo:Service:IdentityDirectory:PageSize"] = "2",
        ["ImagingRepo:Service:IdentityDirectory:Retries"] = "2",
        ["ImagingRepo:Service:IdentityDirectory:RetryDelay"] = "00:00:00.010",
    };

    [Fact]
    public async Task Finds_a_user_with_their_project_groups_roles_and_GID_attribute()
    {
        var id = _keycloak.AddUser("Alice", attributes: new() { ["gid"] = ["2042"], ["site"] = ["VALENCIA"], ["orcid"] = ["0000-0001"] },
            roles: ["use_datasets", "admin_datasets", "offline_access"]);
        foreach (var group in new[] { "PROJECT-ALPHA", "PROJECT-BETA", "ADMINS-PROJECT-ALPHA", "ANOTHER" }) _keycloak.AddMember(id, _keycloak.AddGroup(group));

        var user = await Directory.FindAsync("alice", CancellationToken.None);

        Assert.NotNull(user);
        Assert.Equal(("alice", id, 2042, "VALENCIA"), (user.Username, user.Uid, user.Gid, user.SiteCode));
        Assert.Equal(["ALPHA", "BETA"], user.Projects);
        Assert.Equal(["admin_datasets", "use_datasets"], user.Roles);
        Assert.Equal(("Ada Lovelace", "alice@example.org", false), (user.Name, user.Email, user.Disabled));
        // 4 groups with pages of 2: the third page is empty and ends the reading.
        Assert.Equal(3, _keycloak.Count("GET users/" + id + "/groups"));
        Assert.Null(await Directory.FindAsync("nobody", CancellationToken.None));
        Assert.Empty(_keycloak.Violations);
    }

    [Fact]
    public async Task A_disabled_user_is_found_disabled_and_filtered_as_such()
    {
        _keycloak.AddUser("bob", enabled: false);
        _keycloak.AddUser("carol");

        var bob = await Directory.FindAsync("bob", CancellationToken.None);
        var (disabled, total) = await Directory.SearchAsync(disabled: true, search: null, skip: 0, limit: 10, CancellationToken.None);
        var (all, allTotal) = await Directory.SearchAsync(disabled: null, search: null, skip: 0, limit: 0, CancellationToken.None);

        Assert.True(bob!.Disabled);
        Assert.Equal(["bob"], disabled.Select(u => u.Username));
        Assert.Equal(1, total);
        Assert.Equal((2, 2), (all.Count, allTotal));
        Assert.Contains("GET users/count?enabled=false", _keycloak.Requests);
        Assert.Contains("GET users?briefRepresentation=false&first=0&max=2&enabled=false", _keycloak.Requests);
        Assert.Empty(_keycloak.Violations);
    }

    [Fact]
    public async Task Search_pages_with_first_and_max()
    {
        foreach (var name in new[] { "u1", "u2", "u3", "u4", "u5" }) _keycloak.AddUser(name, firstName: "Grace", lastName: "Hopper");

        var (page, total) = await Directory.SearchAsync(null, "u", skip: 1, limit: 3, CancellationToken.None);

        Assert.Equal(5, total);
        Assert.Equal(["u2", "u3", "u4"], page.Select(u => u.Username));
        Assert.Contains("GET users?briefRepresentation=false&first=1&max=2&search=u", _keycloak.Requests);
        Assert.Contains("GET users?briefRepresentation=false&first=3&max=1&search=u", _keycloak.Requests);
        Assert.Empty(_keycloak.Violations);
    }

    [Fact]
    public async Task Project_groups_are_created_once()
    {
        await Directory.EnsureProjectGroupsAsync("GAMMA", CancellationToken.None);
        await Directory.EnsureProjectGroupsAsync("GAMMA", CancellationToken.None);

        Assert.Equal(["ADMINS-PROJECT-GAMMA", "PROJECT-GAMMA"], _keycloak.GroupNames());
        Assert.Equal(2, _keycloak.Count("POST groups"));
        Assert.Empty(_keycloak.Violations);
    }

    [Fact]
    public async Task A_group_created_meanwhile_elsewhere_409_counts_as_created()
    {
        _keycloak.AddGroup("PROJECT-DELTA");
        _keycloak.AddGroup("ADMINS-PROJECT-DELTA");
        // The search for PROJECT-DELTA misses it (another replica is creating it), so the POST meets 409.
        _keycloak.HideGroupsFromSearch(1);

        await Directory.EnsureProjectGroupsAsync("DELTA", CancellationToken.None);

        Assert.Equal(["ADMINS-PROJECT-DELTA", "PROJECT-DELTA"], _keycloak.GroupNames());
        Assert.Equal(1, _keycloak.Count("POST groups"));
        Assert.Equal(3, _keycloak.Count("GET groups?search="));
        Assert.Empty(_keycloak.Violations);
    }

    [Fact]
    public async Task Saving_projects_joins_and_leaves_project_groups_and_keeps_manager_groups()
    {
        var id = _keycloak.AddUser("dave");
        _keycloak.AddMember(id, _keycloak.AddGroup("PROJECT-OLD"));
        _keycloak.AddMember(id, _keycloak.AddGroup("ADMINS-PROJECT-OLD"));
        var newGroup = _keycloak.AddGroup("PROJECT-NEW");

        await Directory.SaveAsync("dave", gid: null, roles: null, projects: ["NEW", "FRESH"], siteCode: null, siteGiven: false, CancellationToken.None);

        Assert.Equal(["ADMINS-PROJECT-OLD", "PROJECT-FRESH", "PROJECT-NEW"], _keycloak.GroupsOf(id));
        Assert.Contains($"PUT users/{id}/groups/{newGroup}", _keycloak.Requests);
        Assert.Equal(1, _keycloak.Count($"DELETE users/{id}/groups/"));
        Assert.Equal(["FRESH", "NEW"], (await Directory.FindAsync("dave", CancellationToken.None))!.Projects);
        Assert.Empty(_keycloak.Violations);
    }

    [Fact]
    public async Task A_GID_is_handed_out_once_and_written_as_a_string_array_attribute()
    {
        var erin = _keycloak.AddUser("erin", attributes: new() { ["orcid"] = ["0000-0002"] });
        var frank = _keycloak.AddUser("frank");

        await Directory.SaveAsync("erin", gid: -1, roles: null, projects: null, siteCode: null, siteGiven: false, CancellationToken.None);
        await Directory.SaveAsync("erin", gid: -1, roles: null, projects: null, siteCode: null, siteGiven: false, CancellationToken.None);
        await Directory.SaveAsync("frank", gid: -1, roles: null, projects: null, siteCode: null, siteGiven: false, CancellationToken.None);

        Assert.Equal(["2000"], _keycloak.AttributesOf(erin)["gid"]);
        Assert.Equal(["0000-0002"], _keycloak.AttributesOf(erin)["orcid"]);
        Assert.Equal(["2001"], _keycloak.AttributesOf(frank)["gid"]);
        Assert.Equal(2, _keycloak.Count("PUT users/"));
        var taken = await Assert.ThrowsAsync<ServiceProblemException>(() =>
            Directory.SaveAsync("frank", gid: 2000, roles: null, projects: null, siteCode: null, siteGiven: false, CancellationToken.None));
        Assert.Equal(409, taken.Status);
        Assert.Empty(_keycloak.Violations);
    }

    [Fact]
    public async Task Roles_are_Keycloak_s_and_an_unknown_user_is_not_created()
    {
        _keycloak.AddUser("gina", roles: ["use_datasets"]);

        await Directory.SaveAsync("gina", gid: null, roles: ["use_datasets"], projects: null, siteCode: null, siteGiven: false, CancellationToken.None);
        var change = await Assert.ThrowsAsync<ServiceProblemException>(() =>
            Directory.SaveAsync("gina", gid: null, roles: ["admin_users"], projects: null, siteCode: null, siteGiven: false, CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<ServiceProblemException>(() =>
            Directory.SaveAsync("henry", gid: -1, roles: null, projects: null, siteCode: null, siteGiven: false, CancellationToken.None));

        Assert.Equal((409, 404), (change.Status, unknown.Status));
        Assert.Equal(0, _keycloak.Count("PUT "));
        Assert.Empty(_keycloak.Violations);
    }

    [Fact]
    public async Task The_token_is_reused_until_it_expires_then_renewed()
    {
        _keycloak.AddUser("ivan");

        await Directory.FindAsync("ivan", CancellationToken.None);
        await Directory.FindAsync("ivan", CancellationToken.None);
        Assert.Equal(1, _keycloak.TokensIssued);

        _time.Advance(TimeSpan.FromSeconds(_keycloak.TokenLifetimeSeconds));
        await Directory.FindAsync("ivan", CancellationToken.None);

        Assert.Equal(2, _keycloak.TokensIssued);
        Assert.Empty(_keycloak.Violations);
    }

    [Fact]
    public async Task A_401_logs_in_again_once()
    {
        _keycloak.AddUser("judy");
        await Directory.FindAsync("judy", CancellationToken.None);
        _keycloak.RevokeTokens();
        var before = _keycloak.Requests.Count;

        var judy = await Directory.FindAsync("judy", CancellationToken.None);

        Assert.Equal("judy", judy!.Username);
        Assert.Equal(2, _keycloak.TokensIssued);
        // the refused call, the token, the same call again, then the groups and roles calls
        Assert.Equal(["GET users?username=judy&exact=true&briefRepresentation=false", "POST token", "GET users?username=judy&exact=true&briefRepresentation=false"],
            _keycloak.Requests.Skip(before).Take(3));
        Assert.Empty(_keycloak.Violations);
    }

    [Fact]
    public async Task A_failing_Keycloak_is_a_typed_error_naming_the_call_after_the_retries()
    {
        _keycloak.AddUser("kate");
        _keycloak.FailWith = 503;

        var error = await Assert.ThrowsAsync<IdentityDirectoryException>(() => Directory.FindAsync("kate", CancellationToken.None));

        Assert.Equal((503, "GET users?username&exact"), (error.Status, error.Operation));
        Assert.Contains(_keycloak.BaseUrl.Authority, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("kate", error.Message, StringComparison.Ordinal);
        // one call and two retries
        Assert.Equal(3, _keycloak.Count("GET users?username=kate"));
        Assert.Empty(_keycloak.Violations);
    }

    [Fact]
    public async Task A_wrong_client_secret_is_a_typed_error_of_the_token_call()
    {
        var options = _services.GetRequiredService<IOptions<IdentityDirectoryOptions>>().Value;
        options.ClientSecret = "wrong";

        var error = await Assert.ThrowsAsync<IdentityDirectoryException>(() => Directory.FindAsync("anyone", CancellationToken.None));

        Assert.Equal(401, error.Status);
        Assert.Contains("unauthorized_client", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _keycloak.TokensIssued);
    }

    [Theory]
    [InlineData("http://keycloak.example/auth", "must use https")]
    [InlineData(null, "BaseUrl")]
    public void Unusable_settings_are_refused_at_start(string? baseUrl, string expected)
    {
        var settings = Settings(_keycloak);
        settings["ImagingRepo:Service:IdentityDirectory:BaseUrl"] = baseUrl;
        var services = new ServiceCollection().AddIdentityDirectory(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<IdentityDirectoryOptions>>().Value);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
