namespace ImagingRepo.Service.Pids;

/// <summary>
/// Gives a dataset a persistent identifier when it becomes citable and keeps the identifier's record in step with the
/// dataset's state. Defined here, where the service needs it; the local provider (embedded default) and the Zenodo
/// provider implement it, and an application hosting the service may register its own before the service does.
/// </summary>
public interface IPidProvider
{
    /// <summary>
    /// Registers the dataset's identifier (when <see cref="PidDataset.Doi"/> is null) or opens its existing record again,
    /// with the access <see cref="PidDataset.AccessOpen"/> says. Returns the DOI as a URL (stored in
    /// <c>pids.urls.zenodoDoi</c>), or null when the provider mints no DOI (the local provider: the dataset's stable
    /// landing page is its identifier).
    /// </summary>
    /// <param name="dataset">What the record says about the dataset.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <exception cref="PidProviderException">The registry refused or failed; nothing is left half-done there.</exception>
    Task<string?> PublishAsync(PidDataset dataset, CancellationToken cancellationToken = default);

    /// <summary>
    /// Closes the record of a dataset that is no longer public or has been invalidated: the identifier keeps resolving
    /// and its metadata stays visible, but it no longer advertises open access.
    /// </summary>
    /// <param name="dataset">What the record says about the dataset; <see cref="PidDataset.Doi"/> is set.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <exception cref="PidProviderException">The registry refused or failed.</exception>
    Task WithdrawAsync(PidDataset dataset, CancellationToken cancellationToken = default);
}

/// <summary>The facts a persistent-identifier record holds about a dataset, and the project's account settings.</summary>
public sealed class PidDataset
{
    /// <summary>The dataset id (never changes).</summary>
    public required string Id { get; init; }

    /// <summary>The dataset's name.</summary>
    public required string Title { get; init; }

    /// <summary>The dataset's description (plain text).</summary>
    public string Description { get; init; } = "";

    /// <summary>Who the record names as creator: the project's Zenodo author, else the dataset's author.</summary>
    public required string Creator { get; init; }

    /// <summary>The absolute URL of the dataset's page on the platform.</summary>
    public required Uri LandingPage { get; init; }

    /// <summary>The DOI already registered (as a URL), or null.</summary>
    public string? Doi { get; init; }

    /// <summary>Whether the record advertises open access (a published, valid dataset) or closed access.</summary>
    public bool AccessOpen { get; init; }

    /// <summary>The licence URL of the dataset, or empty.</summary>
    public string LicenseUrl { get; init; } = "";

    /// <summary>The dataset's version, or empty.</summary>
    public string Version { get; init; } = "";

    /// <summary>The publication date the record carries.</summary>
    public required DateOnly PublicationDate { get; init; }

    /// <summary>The project's Zenodo community, or empty.</summary>
    public string Community { get; init; } = "";

    /// <summary>The project's grant (Zenodo grant id), or empty.</summary>
    public string Grant { get; init; } = "";

    /// <summary>The project's Zenodo access token, or empty for the configured one. Secret: never logged.</summary>
    public string AccessToken { get; init; } = "";

    /// <summary>The dataset id only: the other members (a token among them) stay out of logs.</summary>
    public override string ToString() => $"dataset {Id}";
}

/// <summary>How a persistent-identifier registry failed, which decides how the service answers.</summary>
public enum PidFailure
{
    /// <summary>The registry could not be reached or failed itself (5xx, timeout): try again later.</summary>
    Unavailable,

    /// <summary>The registry refused the account (401/403): the access token is wrong or missing.</summary>
    Unauthorized,

    /// <summary>The registry refused the record's content (4xx with its reasons).</summary>
    Rejected,
}

/// <summary>A persistent-identifier registry refused or failed a call; the message says which call and why.</summary>
public sealed class PidProviderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PidProviderException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    /// <param name="message">What failed.</param>
    public PidProviderException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public PidProviderException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="failure">How the registry failed.</param>
    /// <param name="message">What failed, with the registry's own reason.</param>
    /// <param name="statusCode">The registry's HTTP status, or null when none came back.</param>
    /// <param name="innerException">The cause, or null.</param>
    public PidProviderException(PidFailure failure, string message, int? statusCode, Exception? innerException = null) : base(message, innerException)
    {
        Failure = failure;
        StatusCode = statusCode;
    }

    /// <summary>How the registry failed.</summary>
    public PidFailure Failure { get; }

    /// <summary>The registry's HTTP status, or null when none came back.</summary>
    public int? StatusCode { get; }
}
