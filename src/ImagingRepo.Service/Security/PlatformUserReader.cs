using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Security;

/// <summary>
/// Reads a <see cref="PlatformUser"/> from an authenticated principal, with the configured claim names: plain claims,
/// and dotted paths into JSON claims such as Keycloak's <c>resource_access</c>.
/// </summary>
internal sealed class PlatformUserReader(IOptions<PlatformAuthenticationOptions> options)
{
    /// <summary>Claim types the development handler issues (never read from tokens).</summary>
    public const string DevelopmentRole = "imagingrepo:development:role";

    public const string DevelopmentGroup = "imagingrepo:development:group";

    public const string DevelopmentScheme = "ImagingRepoDevelopment";

    public PlatformUser Read(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity is not { IsAuthenticated: true } identity) return PlatformUser.Anonymous;
        var o = options.Value;
        var uid = principal.FindFirst(o.SubjectClaim)?.Value;
        if (string.IsNullOrEmpty(uid)) return PlatformUser.Anonymous;

        IEnumerable<string> roles, groups;
        if (identity.AuthenticationType == DevelopmentScheme)
        {
            roles = principal.FindAll(DevelopmentRole).Select(c => c.Value);
            groups = principal.FindAll(DevelopmentGroup).Select(c => c.Value);
        }
        else
        {
            roles = o.EffectiveRolesClaims.SelectMany(path => Values(principal, path));
            groups = Values(principal, o.GroupsClaim);
        }

        return new PlatformUser(uid, principal.FindFirst(o.UserNameClaim)?.Value, principal.FindFirst(o.NameClaim)?.Value,
            principal.FindFirst(o.EmailClaim)?.Value, roles, groups);
    }

    /// <summary>The string values at <paramref name="path"/>: <c>claim</c> or <c>claim.member.member…</c> into its JSON.</summary>
    private static IEnumerable<string> Values(ClaimsPrincipal principal, string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var claimType = dot < 0 ? path : path[..dot];
        foreach (var claim in principal.FindAll(claimType))
        {
            if (dot < 0)
            {
                yield return claim.Value;
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(claim.Value);
            }
            catch (JsonException)
            {
                continue;
            }

            using (document)
            {
                var element = document.RootElement;
                var found = true;
                foreach (var member in path[(dot + 1)..].Split('.'))
                {
                    if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(member, out element))
                    {
                        found = false;
                        break;
                    }
                }

                if (!found) continue;
                if (element.ValueKind == JsonValueKind.String)
                {
                    yield return element.GetString()!;
                }
                else if (element.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in element.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.String) yield return item.GetString()!;
                    }
                }
            }
        }
    }
}
