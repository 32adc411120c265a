using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Security;

/// <summary>
/// The insecure development mode: the caller names themselves with headers (user, roles, groups) and is believed.
/// Only requests from loopback get here (<see cref="LoopbackOnlyMiddleware"/>); without the user header the caller is
/// anonymous.
/// </summary>
internal sealed class DevelopmentAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<PlatformAuthenticationOptions> platformOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var o = platformOptions.Value;
        var user = Request.Headers[o.DevelopmentUserHeader].ToString().Trim();
        if (user.Length == 0) return Task.FromResult(AuthenticateResult.NoResult());

        var claims = new List<Claim>
        {
            new(o.SubjectClaim, user),
            new(o.UserNameClaim, user),
            new(o.NameClaim, user),
            new(o.EmailClaim, user + "@localhost"),
        };
        claims.AddRange(Split(Request.Headers[o.DevelopmentRolesHeader]).Select(r => new Claim(PlatformUserReader.DevelopmentRole, r)));
        claims.AddRange(Split(Request.Headers[o.DevelopmentGroupsHeader]).Select(g => new Claim(PlatformUserReader.DevelopmentGroup, g)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, PlatformUserReader.DevelopmentScheme, o.UserNameClaim, null));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    private static IEnumerable<string> Split(Microsoft.Extensions.Primitives.StringValues values) =>
        values.SelectMany(v => (v ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
