using Microsoft.Extensions.Logging;

namespace ImagingRepo.Client.Identity;

/// <summary>The sign-in log lines. They name clients and expiry times, never a secret or a token.</summary>
internal static partial class IdentityLog
{
    [LoggerMessage(1, LogLevel.Debug, "Token for client {ClientId} acquired with {Grant}; it expires at {ExpiresAt:O}")]
    public static partial void TokenAcquired(ILogger logger, string clientId, string grant, DateTimeOffset expiresAt);

    [LoggerMessage(2, LogLevel.Warning, "Token request for client {ClientId} with {Grant} refused: {Error} {ErrorDescription}")]
    public static partial void TokenRefused(ILogger logger, string clientId, string grant, string? error, string? errorDescription);

    [LoggerMessage(3, LogLevel.Information, "Device sign-in for client {ClientId} started; the code expires at {ExpiresAt:O}")]
    public static partial void DeviceSignInStarted(ILogger logger, string clientId, DateTimeOffset expiresAt);

    [LoggerMessage(4, LogLevel.Debug, "Device sign-in: the provider asked to slow down; polling every {Interval}")]
    public static partial void DeviceSlowDown(ILogger logger, TimeSpan interval);

    [LoggerMessage(5, LogLevel.Debug, "Token read from {Path}; it expires at {ExpiresAt:O}")]
    public static partial void TokenFileRead(ILogger logger, string path, DateTimeOffset expiresAt);

    [LoggerMessage(6, LogLevel.Information, "{Method} {Path} answered 401; retrying once with a new token")]
    public static partial void RetryingAfterUnauthorized(ILogger logger, string method, string? path);
}
