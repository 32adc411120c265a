using System.Buffers.Text;
using System.Text;
using ImagingRepo.Client.Identity;
using Microsoft.Extensions.Time.Testing;

namespace ImagingRepo.Client.Tests.Identity;

/// <summary>The in-cluster case: a token file the platform mounts and rotates.</summary>
public sealed class TokenFileTokenProviderTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("imagingrepo-tokenfile-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Jwt_is_used_until_near_its_expiry_then_the_rotated_file_is_read()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var path = Path.Combine(_folder.FullName, "token");
        var firstJwt = Jwt(clock.GetUtcNow().AddMinutes(10), "first");
        await File.WriteAllTextAsync(path, firstJwt + "\n");
        using var provider = new TokenFileTokenProvider(new SignInOptions { TokenFile = path, RefreshBeforeExpiry = TimeSpan.FromMinutes(1) }, clock);

        var first = await provider.GetTokenAsync();
        Assert.Equal(firstJwt, first.Value);
        Assert.Equal(clock.GetUtcNow().AddMinutes(10), first.ExpiresAt);

        var secondJwt = Jwt(clock.GetUtcNow().AddMinutes(20), "second");
        await File.WriteAllTextAsync(path, secondJwt);
        clock.Advance(TimeSpan.FromMinutes(8));
        Assert.Same(first, await provider.GetTokenAsync());

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(secondJwt, (await provider.GetTokenAsync()).Value);
    }

    [Fact]
    public async Task Refused_token_makes_the_file_be_read_again()
    {
        var path = Path.Combine(_folder.FullName, "token");
        await File.WriteAllTextAsync(path, "opaque-1");
        using var provider = new TokenFileTokenProvider(new SignInOptions { TokenFile = path });
        var first = await provider.GetTokenAsync();

        await File.WriteAllTextAsync(path, "opaque-2");
        var second = await provider.RefreshAsync(first);

        Assert.Equal("opaque-1", first.Value);
        Assert.Equal("opaque-2", second.Value);
    }

    [Fact]
    public async Task Opaque_token_is_read_again_after_the_interval()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var path = Path.Combine(_folder.FullName, "token");
        await File.WriteAllTextAsync(path, "opaque-1");
        using var provider = new TokenFileTokenProvider(new SignInOptions { TokenFile = path, TokenFileRereadInterval = TimeSpan.FromSeconds(30) }, clock);
        Assert.Equal("opaque-1", (await provider.GetTokenAsync()).Value);

        await File.WriteAllTextAsync(path, "opaque-2");
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("opaque-1", (await provider.GetTokenAsync()).Value);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("opaque-2", (await provider.GetTokenAsync()).Value);
    }

    [Fact]
    public async Task Missing_file_is_a_sign_in_error_naming_it()
    {
        var path = Path.Combine(_folder.FullName, "absent");
        using var provider = new TokenFileTokenProvider(new SignInOptions { TokenFile = path });

        var error = await Assert.ThrowsAsync<SignInException>(() => provider.GetTokenAsync().AsTask());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_validation_names_what_each_flow_lacks()
    {
        var validator = new SignInOptionsValidator();

        var result = validator.Validate(null, new SignInOptions { Flow = SignInFlow.ClientCredentials, Authority = new Uri("http://auth.example.org/") });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("HTTPS", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("ClientId", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("ClientSecret", StringComparison.Ordinal));
        Assert.True(validator.Validate(null, new SignInOptions { Flow = SignInFlow.DeviceCode, Authority = new Uri("http://127.0.0.1:8080/"), ClientId = "cli" }).Succeeded);
        Assert.True(validator.Validate(null, new SignInOptions()).Succeeded);
    }

    private static string Jwt(DateTimeOffset expiresAt, string subject)
    {
        static string Part(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        return Part("""{"alg":"RS256","typ":"JWT"}""") + "." + Part($$"""{"sub":"{{subject}}","exp":{{expiresAt.ToUnixTimeSeconds()}}}""") + ".c2ln";
    }
}
