using System.Collections.Concurrent;
using System.Net;
using ImagingRepo.Client.Identity;
using ImagingRepo.Client.Tests.Support;
using ImagingRepo.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ImagingRepo.Client.Tests.Identity;

/// <summary>The token providers against the running oidc-provider.</summary>
public sealed class SignInTests(OidcServer server) : IClassFixture<OidcServer>
{
    private static string Audience =>
        Environment.GetEnvironmentVariable("IMAGINGREPO_OIDC_AUDIENCE") is { Length: > 0 } audience ? audience : "urn:imagingrepo:api";

    private static string DeviceClientId =>
        Environment.GetEnvironmentVariable("IMAGINGREPO_OIDC_DEVICE_CLIENT_ID") is { Length: > 0 } id ? id : "imagingrepo-cli";

    private SignInOptions ServiceOptions() => new()
    {
        Flow = SignInFlow.ClientCredentials,
        Authority = new Uri(server.Issuer),
        ClientId = server.ClientId,
        ClientSecret = server.ClientSecret,
        Scope = "datasets:read",
        Resource = Audience,
    };

    private SignInOptions DeviceOptions() => new()
    {
        Flow = SignInFlow.DeviceCode,
        Authority = new Uri(server.Issuer),
        ClientId = DeviceClientId,
        Scope = "openid offline_access datasets:read",
        Resource = Audience,
    };

    [SkippableFact]
    public async Task Client_credentials_token_is_cached_and_discovery_read_once()
    {
        server.Require();
        using var counting = new CountingHandler();
        using var http = new HttpClient(counting);
        var logs = new RecordingLoggerFactory();
        var discovery = new OidcDiscovery(ServiceOptions(), () => http);
        using var provider = new ClientCredentialsTokenProvider(http, discovery, ServiceOptions(), logger: logs.CreateLogger<ClientCredentialsTokenProvider>());

        var first = await provider.GetTokenAsync();
        var second = await provider.GetTokenAsync();
        var replaced = await provider.RefreshAsync(first);

        Assert.Same(first, second);
        Assert.NotEqual(first.Value, replaced.Value);
        Assert.InRange(first.ExpiresAt - DateTimeOffset.FromUnixTimeSeconds(0), TimeSpan.FromDays(1), TimeSpan.MaxValue);
        Assert.Equal(2, counting.Count("/token"));
        Assert.Equal(1, counting.Count("/.well-known/openid-configuration"));
        Assert.DoesNotContain(first.Value, first.ToString(), StringComparison.Ordinal);
        Assert.Contains("client_credentials", logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(first.Value, logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(server.ClientSecret, logs.AllText, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Token_is_replaced_before_it_expires_not_after()
    {
        server.Require();
        using var counting = new CountingHandler();
        using var http = new HttpClient(counting);
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var options = ServiceOptions();
        options.RefreshBeforeExpiry = TimeSpan.FromMinutes(2);
        using var provider = new ClientCredentialsTokenProvider(http, new OidcDiscovery(options, () => http), options, clock);

        var first = await provider.GetTokenAsync();
        var lifetime = first.ExpiresAt - clock.GetUtcNow();
        clock.Advance(lifetime - TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        Assert.Same(first, await provider.GetTokenAsync());

        clock.Advance(TimeSpan.FromSeconds(2));
        var second = await provider.GetTokenAsync();

        Assert.NotSame(first, second);
        Assert.Equal(2, counting.Count("/token"));
    }

    [SkippableFact]
    public async Task Many_requests_refused_together_cause_one_refresh()
    {
        server.Require();
        using var counting = new CountingHandler();
        using var http = new HttpClient(counting);
        using var provider = new ClientCredentialsTokenProvider(http, new OidcDiscovery(ServiceOptions(), () => http), ServiceOptions());
        var rejected = await provider.GetTokenAsync();

        var replacements = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => provider.RefreshAsync(rejected).AsTask()));

        Assert.Single(replacements.Select(t => t.Value).Distinct());
        Assert.Equal(2, counting.Count("/token"));
    }

    [SkippableFact]
    public async Task Wrong_secret_is_a_sign_in_error_that_does_not_show_the_secret()
    {
        server.Require();
        using var http = new HttpClient();
        var options = ServiceOptions();
        options.ClientSecret = "not-the-secret-" + Guid.NewGuid().ToString("N");
        var logs = new RecordingLoggerFactory();
        using var provider = new ClientCredentialsTokenProvider(http, new OidcDiscovery(options, () => http), options,
            logger: logs.CreateLogger<ClientCredentialsTokenProvider>());

        var error = await Assert.ThrowsAsync<SignInException>(() => provider.GetTokenAsync().AsTask());

        Assert.Equal("invalid_client", error.Error);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.DoesNotContain(options.ClientSecret, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(options.ClientSecret, logs.AllText, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Unreachable_authority_is_a_sign_in_error()
    {
        server.Require();
        using var http = new HttpClient();
        var options = ServiceOptions();
        options.Authority = new Uri("http://127.0.0.1:9/");
        using var provider = new ClientCredentialsTokenProvider(http, new OidcDiscovery(options, () => http), options);

        var error = await Assert.ThrowsAsync<SignInException>(() => provider.GetTokenAsync().AsTask());

        Assert.Contains("127.0.0.1:9", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Device_sign_in_prints_the_code_polls_and_keeps_a_refresh_token()
    {
        server.Require();
        using var http = new HttpClient();
        var folder = Directory.CreateTempSubdirectory("imagingrepo-tokens-");
        try
        {
            var storePath = Path.Combine(folder.FullName, "nested", "tokens.json");
            using var store = new FileTokenStore(storePath);
            var logs = new RecordingLoggerFactory();
            var discovery = new OidcDiscovery(DeviceOptions(), () => http);
            using var provider = new DeviceCodeTokenProvider(http, discovery, DeviceOptions(), store, loggerFactory: logs);
            var prompts = new List<DeviceCodePrompt>();
            Task? person = null;

            var tokens = await provider.SignInAsync((prompt, _) =>
            {
                prompts.Add(prompt);
                person = ScriptedBrowser.ApproveAsync(prompt.VerificationUriComplete!, "researcher-1");
                return Task.CompletedTask;
            });
            await person!;

            var prompt = Assert.Single(prompts);
            Assert.Matches("^[A-Z]{4}-[A-Z]{4}$", prompt.UserCode);
            Assert.Contains(prompt.UserCode, prompt.ToString(), StringComparison.Ordinal);
            Assert.Contains(prompt.VerificationUri.AbsoluteUri, prompt.ToString(), StringComparison.Ordinal);
            Assert.NotNull(tokens.RefreshToken);
            Assert.Equal("researcher-1", Claim(tokens.AccessToken.Value, "sub"));
            Assert.Equal(Audience, Claim(tokens.AccessToken.Value, "aud"));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(storePath));
            }

            // A later process starts from the store: first the stored access token, then the refresh token.
            using var later = new DeviceCodeTokenProvider(http, new OidcDiscovery(DeviceOptions(), () => http), DeviceOptions(), new FileTokenStore(storePath));
            var stored = await later.GetTokenAsync();
            Assert.Equal(tokens.AccessToken.Value, stored.Value);
            var refreshed = await later.RefreshAsync(stored);
            Assert.NotEqual(stored.Value, refreshed.Value);
            Assert.Equal("researcher-1", Claim(refreshed.Value, "sub"));
            var kept = await store.LoadAsync(new Uri(server.Issuer), DeviceClientId);
            Assert.Equal(refreshed.Value, kept!.AccessToken.Value);

            foreach (var secret in new[] { tokens.AccessToken.Value, tokens.RefreshToken!, refreshed.Value })
            {
                Assert.DoesNotContain(secret, logs.AllText, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, tokens.ToString(), StringComparison.Ordinal);
            }

            // Signing out forgets the tokens: the next call asks for a sign-in.
            await later.SignOutAsync();
            await Assert.ThrowsAsync<SignInRequiredException>(() => later.GetTokenAsync().AsTask());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task Device_sign_in_refused_by_the_person_is_access_denied()
    {
        server.Require();
        using var http = new HttpClient();
        var signIn = new DeviceCodeSignIn(http, new OidcDiscovery(DeviceOptions(), () => http), DeviceOptions());
        Task? person = null;

        var error = await Assert.ThrowsAsync<SignInException>(() => signIn.SignInAsync((prompt, _) =>
        {
            person = ScriptedBrowser.ApproveAsync(prompt.VerificationUriComplete!, "researcher-2", abort: true);
            return Task.CompletedTask;
        }));
        await person!;

        Assert.Equal("access_denied", error.Error);
    }

    [SkippableFact]
    public async Task Nothing_stored_asks_for_a_sign_in()
    {
        server.Require();
        using var http = new HttpClient();
        using var provider = new DeviceCodeTokenProvider(http, new OidcDiscovery(DeviceOptions(), () => http), DeviceOptions(), new InMemoryTokenStore());

        var error = await Assert.ThrowsAsync<SignInRequiredException>(() => provider.GetTokenAsync().AsTask());

        Assert.Contains("imagingrepo login", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Refused_refresh_token_asks_for_a_sign_in_and_forgets_it()
    {
        server.Require();
        using var http = new HttpClient();
        var store = new InMemoryTokenStore();
        var options = DeviceOptions();
        await store.SaveAsync(new SignInTokens(options.Authority!, options.ClientId!,
            new AccessToken("expired", DateTimeOffset.UnixEpoch), "refresh-token-the-provider-never-issued"));
        using var provider = new DeviceCodeTokenProvider(http, new OidcDiscovery(options, () => http), options, store);

        await Assert.ThrowsAsync<SignInRequiredException>(() => provider.GetTokenAsync().AsTask());

        Assert.Null(await store.LoadAsync(options.Authority!, options.ClientId!));
    }

    [SkippableFact]
    public async Task Handler_retries_once_with_a_new_token_after_401()
    {
        server.Require();
        using var http = new HttpClient();
        using var provider = new ClientCredentialsTokenProvider(http, new OidcDiscovery(ServiceOptions(), () => http), ServiceOptions());
        var revoked = new ConcurrentDictionary<string, bool>();
        revoked[(await provider.GetTokenAsync()).Value] = true;
        await using var api = new LoopbackApi(request =>
            revoked.ContainsKey(request.Headers["Authorization"]!["Bearer ".Length..]) ? (401, "{}", null) : (200, """{"ok":true}""", null));
        using var client = new HttpClient(new BearerTokenHandler(provider) { InnerHandler = new HttpClientHandler() }) { BaseAddress = api.BaseAddress };

        using var response = await client.PostAsync("datasets", System.Net.Http.Json.JsonContent.Create(new { name = "x" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = api.Authorizations.ToArray();
        Assert.Equal(2, sent.Length);
        Assert.NotEqual(sent[0], sent[1]);
    }

    [SkippableFact]
    public async Task Handler_gives_up_after_the_second_401()
    {
        server.Require();
        using var counting = new CountingHandler();
        using var http = new HttpClient(counting);
        using var provider = new ClientCredentialsTokenProvider(http, new OidcDiscovery(ServiceOptions(), () => http), ServiceOptions());
        await using var api = new LoopbackApi(_ => (401, """{"title":"Unauthorized"}""", null));
        using var client = new HttpClient(new BearerTokenHandler(provider) { InnerHandler = new HttpClientHandler() }) { BaseAddress = api.BaseAddress };

        using var response = await client.GetAsync("datasets");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, api.Authorizations.Count);
        Assert.Equal(2, counting.Count("/token"));
    }

    private static string? Claim(string jwt, string name)
    {
        using var payload = System.Text.Json.JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1]));
        return payload.RootElement.GetProperty(name).GetString();
    }
}
