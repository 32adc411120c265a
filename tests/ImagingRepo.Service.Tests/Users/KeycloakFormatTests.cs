using System.Text.Json;
using ImagingRepo.Service.Users;

namespace ImagingRepo.Service.Tests.Users;

/// <summary>
/// The client reads Keycloak's own representations and error bodies, not only the stand-in's. Field names and types
/// come from Keycloak's representations: UserRepresentation, GroupRepresentation, RoleRepresentation,
/// ClientRepresentation (org.keycloak.representations.idm; https://www.keycloak.org/docs-api/23.0.7/javadocs/org/keycloak/representations/idm/UserRepresentation.html
/// and the Admin REST API's schema of the same names, https://www.keycloak.org/docs-api/latest/rest-api/index.html),
/// and its error bodies from ErrorRepresentation (<c>errorMessage</c>) and OAuth2ErrorRepresentation
/// (<c>error</c>, <c>error_description</c>). The values are examples of ours; no field is invented.
/// </summary>
public sealed class KeycloakFormatTests
{
    /// <summary>A user as <c>GET /admin/realms/{realm}/users/{id}</c> answers (Keycloak 24–26: attributes as lists of strings).</summary>
    private const string UserRepresentation = """
        {
          "id": "5b1b2c5e-7c1f-4f0e-9a59-2f0d6e9e7c11",
          "username": "ada",
          "firstName": "Ada",
          "lastName": "Lovelace",
          "email": "ada@example.org",
          "emailVerified": true,
          "attributes": { "GID": ["1042"], "locale": ["en"] },
          "createdTimestamp": 1733050800000,
          "enabled": true,
          "totp": false,
          "disableableCredentialTypes": [],
          "requiredActions": [],
          "notBefore": 0,
          "access": { "manageGroupMembership": true, "view": true, "mapRoles": true, "impersonate": false, "manage": true }
        }
        """;

    /// <summary>Every field UserRepresentation has (Keycloak 26's Admin REST API schema; <c>organizations</c> and <c>userProfileMetadata</c> are the newest).</summary>
    private static readonly string[] UserRepresentationFields =
    [
        "id", "username", "firstName", "lastName", "email", "emailVerified", "attributes", "userProfileMetadata", "enabled", "self", "origin",
        "createdTimestamp", "totp", "federationLink", "serviceAccountClientId", "credentials", "disableableCredentialTypes", "requiredActions",
        "federatedIdentities", "realmRoles", "clientRoles", "clientConsents", "notBefore", "applicationRoles", "socialLinks", "groups", "access",
        "organizations",
    ];

    [Fact]
    public void A_user_representation_as_Keycloak_writes_it_is_read_with_its_attributes()
    {
        var user = JsonSerializer.Deserialize(UserRepresentation, KeycloakJsonContext.Default.KeycloakUser)!;
        Assert.Equal("5b1b2c5e-7c1f-4f0e-9a59-2f0d6e9e7c11", user.Id);
        Assert.Equal("ada", user.Username);
        Assert.Equal("Ada", user.FirstName);
        Assert.Equal("Lovelace", user.LastName);
        Assert.Equal("ada@example.org", user.Email);
        Assert.True(user.Enabled);
        Assert.True(user.EmailVerified);
        Assert.Equal(1733050800000, user.CreatedTimestamp);
        Assert.Equal("1042", user.Attribute("GID"));
        Assert.Null(user.Attribute("missing"));
    }

    [Fact]
    public async Task The_stand_in_writes_only_fields_Keycloak_s_user_representation_has()
    {
        await using var keycloak = await KeycloakStandIn.StartAsync();
        var id = keycloak.AddUser("grace", attributes: new() { ["GID"] = ["7"] });
        var written = keycloak.UserJson(id);
        Assert.All(written.Select(p => p.Key), key => Assert.Contains(key, UserRepresentationFields));
        Assert.Equal(
            JsonDocument.Parse(UserRepresentation).RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal),
            written.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Groups_roles_and_clients_as_Keycloak_writes_them_are_read()
    {
        // GET groups?search=…&briefRepresentation=true (GroupRepresentation; subGroupCount since Keycloak 23).
        var groups = JsonSerializer.Deserialize("""
            [{"id": "0c7a8a4e-1f52-4b8e-8a39-0d1f5b3a9e21", "name": "PROJECT-LUNG", "path": "/PROJECT-LUNG", "subGroupCount": 0, "subGroups": []}]
            """, KeycloakJsonContext.Default.ListKeycloakGroup)!;
        Assert.Equal(("0c7a8a4e-1f52-4b8e-8a39-0d1f5b3a9e21", "PROJECT-LUNG", "/PROJECT-LUNG"), (groups[0].Id, groups[0].Name, groups[0].Path));

        // GET users/{id}/role-mappings/clients/{client}/composite (RoleRepresentation).
        var roles = JsonSerializer.Deserialize("""
            [{"id": "9d3b0f7c-6a0e-4f61-a0c5-1b8f0b2d4e77", "name": "admin_datasets", "description": "", "composite": false, "clientRole": true,
              "containerId": "3f2e7f0a-5c4b-4d1e-9b8a-7c6d5e4f3a21"}]
            """, KeycloakJsonContext.Default.ListKeycloakRole)!;
        Assert.Equal("admin_datasets", Assert.Single(roles).Name);

        // GET clients?clientId=… (ClientRepresentation: id is the internal UUID, clientId the name).
        var clients = JsonSerializer.Deserialize("""
            [{"id": "3f2e7f0a-5c4b-4d1e-9b8a-7c6d5e4f3a21", "clientId": "dataset-service", "name": "", "enabled": true, "publicClient": false,
              "protocol": "openid-connect", "attributes": {}, "redirectUris": [], "webOrigins": []}]
            """, KeycloakJsonContext.Default.ListKeycloakClient)!;
        Assert.Equal(("3f2e7f0a-5c4b-4d1e-9b8a-7c6d5e4f3a21", "dataset-service"), (clients[0].Id, clients[0].ClientId));
    }

    [Theory]
    // ErrorRepresentation: POST groups with a name taken (GroupsResource: "Top level group named '…' already exists.").
    [InlineData("""{"errorMessage":"Top level group named 'PROJECT-LUNG' already exists."}""", "Top level group named 'PROJECT-LUNG' already exists.")]
    // OAuth2ErrorRepresentation: the token endpoint refusing the client's secret.
    [InlineData("""{"error":"unauthorized_client","error_description":"Invalid client or Invalid client credentials"}""",
        "unauthorized_client Invalid client or Invalid client credentials")]
    // The admin API's answer to a token it does not accept.
    [InlineData("""{"error":"HTTP 401 Unauthorized"}""", "HTTP 401 Unauthorized")]
    [InlineData("<html>Bad Gateway</html>", "")]
    public void Keycloak_s_error_bodies_are_read(string body, string said) => Assert.Equal(said, KeycloakAdminClient.KeycloakError(body));
}
