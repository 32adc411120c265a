namespace ImagingRepo.Service.Users;

/// <summary>
/// The identity directory (Keycloak's admin API or its token endpoint) failed or answered what the service cannot use.
/// Says which call (method and path template, never a user's name) on which server, and Keycloak's status; the
/// service answers such a request with 502 Bad Gateway.
/// </summary>
internal sealed class IdentityDirectoryException : Exception
{
    public IdentityDirectoryException()
    {
    }

    public IdentityDirectoryException(string message) : base(message)
    {
    }

    public IdentityDirectoryException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public IdentityDirectoryException(string operation, Uri server, int? status, string reason, Exception? innerException = null)
        : base($"Keycloak {operation} on {server.GetLeftPart(UriPartial.Authority)} failed" + (status is { } s ? $" with HTTP {s}" : "") + $": {reason}",
            innerException)
    {
        Operation = operation;
        Status = status;
    }

    /// <summary>The call, e.g. <c>GET users/{id}/groups</c>.</summary>
    public string? Operation { get; }

    /// <summary>Keycloak's HTTP status, or null when no answer came.</summary>
    public int? Status { get; }
}
