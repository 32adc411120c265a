using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Duende.IdentityModel.Client;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Client.Tests.Identity;

/// <summary>
/// Proves the oidc-provider harness with Duende.IdentityModel: discovery, a client-credentials token
/// that is a JWT signed by a key of the provider's JWKS, with the expected issuer and audience.
/// </summary>
public sealed class OidcTokenTests(OidcServer server) : IClassFixture<OidcServer>
{
    private static string Audience =>
        Environment.GetEnvironmentVariable("IMAGINGREPO_OIDC_AUDIENCE") is { Length: > 0 } audience ? audience : "urn:imagingrepo:api";

    [SkippableFact]
    public async Task Client_credentials_token_is_a_signed_jwt_for_the_api()
    {
        server.Require();
        using var http = new HttpClient();

        var discovery = await http.GetDiscoveryDocumentAsync(server.Issuer);
        Assert.False(discovery.IsError, discovery.Error);
        Assert.Equal(server.Issuer, discovery.Issuer);
        Assert.Contains("client_credentials", discovery.GrantTypesSupported);
        Assert.Contains("urn:ietf:params:oauth:grant-type:device_code", discovery.GrantTypesSupported);

        var token = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = server.ClientId,
            ClientSecret = server.ClientSecret,
            Scope = "datasets:read",
            Resource = { Audience },
        });
        Assert.False(token.IsError, $"{token.Error}: {token.ErrorDescription}");
        Assert.Equal("Bearer", token.TokenType);
        Assert.InRange(token.ExpiresIn, 1, 3600);

        var parts = token.AccessToken!.Split('.');
        Assert.Equal(3, parts.Length);
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        var claims = payload.RootElement;

        Assert.Equal(server.Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal(Audience, claims.GetProperty("aud").GetString());
        Assert.Equal(server.ClientId, claims.GetProperty("client_id").GetString());
        Assert.Equal("datasets:read", claims.GetProperty("scope").GetString());
        Assert.True(claims.GetProperty("exp").GetInt64() > claims.GetProperty("iat").GetInt64());

        // The signature verifies with the provider's published key, and not after tampering.
        Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
        var kid = header.RootElement.GetProperty("kid").GetString();
        var jwk = Assert.Single(discovery.KeySet!.Keys, k => k.Kid == kid);
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Base64Url.DecodeFromChars(jwk.N),
            Exponent = Base64Url.DecodeFromChars(jwk.E),
        });
        var signature = Base64Url.DecodeFromChars(parts[2]);
        var signedPart = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        Assert.True(rsa.VerifyData(signedPart, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        signedPart[^1] ^= 1;
        Assert.False(rsa.VerifyData(signedPart, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [SkippableFact]
    public async Task Wrong_client_secret_is_refused()
    {
        server.Require();
        using var http = new HttpClient();
        var discovery = await http.GetDiscoveryDocumentAsync(server.Issuer);
        Assert.False(discovery.IsError, discovery.Error);

        var token = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = server.ClientId,
            ClientSecret = server.ClientSecret + "-wrong",
            Scope = "datasets:read",
        });

        Assert.True(token.IsError);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, token.HttpStatusCode);
        using var body = JsonDocument.Parse(token.Raw!);
        Assert.Equal("invalid_client", body.RootElement.GetProperty("error").GetString());
        Assert.Null(token.AccessToken);
    }
}
