namespace ImagingRepo.Client.Identity;

/// <summary>How the client obtains its bearer tokens.</summary>
public enum SignInFlow
{
    /// <summary>No token: the API is called anonymously (an embedded service, a public catalogue).</summary>
    None,

    /// <summary>OAuth client credentials: a service or job with its own client id and secret.</summary>
    ClientCredentials,

    /// <summary>
    /// A person signed in with the device-code flow (CLI, notebook); the tokens are kept in a token store and renewed
    /// with the refresh token.
    /// </summary>
    DeviceCode,

    /// <summary>A token file mounted into the pod by the platform, re-read when it changes or is refused.</summary>
    TokenFile,
}
