using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using ImagingRepo.Service.Users;

namespace ImagingRepo.Service.Security;

/// <summary>
/// After authentication: a request that sent a bearer token which did not validate (expired, wrong issuer or
/// audience, bad signature) is answered 401 here, even on operations open to anonymous callers; otherwise the
/// caller's <see cref="PlatformUser"/> is put on the request, and the identity directory remembers the token's user.
/// </summary>
internal sealed class CurrentUserMiddleware(RequestDelegate next)
{
    private static readonly object Key = new();

    public async Task InvokeAsync(HttpContext context, PlatformUserReader reader, IIdentityDirectory directory, IProblemDetailsService problems)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var sentBearer = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        var user = reader.Read(context.User);
        if (sentBearer && !user.IsAuthenticated)
        {
            var failure = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Failure;
            var detail = failure is Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException
                ? "The access token has expired."
                : "The access token is not valid for this service.";
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers[HeaderNames.WWWAuthenticate] = $"Bearer error=\"invalid_token\", error_description=\"{detail}\"";
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Detail = detail },
            }).ConfigureAwait(false);
            return;
        }

        context.Items[Key] = user;
        if (user.IsAuthenticated) await directory.RememberAsync(user, context.RequestAborted).ConfigureAwait(false);
        await next(context).ConfigureAwait(false);
    }

    /// <summary>The caller of the request (anonymous when none was put on it).</summary>
    public static PlatformUser Of(HttpContext context) => context.Items.TryGetValue(Key, out var user) && user is PlatformUser u ? u : PlatformUser.Anonymous;
}

/// <summary>The caller of a request.</summary>
internal static class HttpContextPlatformUserExtensions
{
    public static PlatformUser PlatformUser(this HttpContext context) => CurrentUserMiddleware.Of(context);
}
