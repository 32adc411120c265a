using ImagingRepo.Client.Identity;
using ImagingRepo.Client.Storage;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Client.DependencyInjection;

/// <summary>Checks <see cref="ImagingRepoClientOptions"/> at start-up: endpoint, sign-in, timeouts, data lake.</summary>
internal sealed class ImagingRepoClientOptionsValidator : IValidateOptions<ImagingRepoClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ImagingRepoClientOptions options)
    {
        var failures = new List<string>();
        if (options.Endpoint is null) failures.Add("ImagingRepo:Endpoint is required (the dataset service's API root)");
        else if (!options.Endpoint.IsAbsoluteUri) failures.Add("ImagingRepo:Endpoint must be an absolute URL");

        var signIn = new SignInOptionsValidator().Validate(name, options.SignIn);
        if (signIn.Failed) failures.AddRange(signIn.Failures);

        var r = options.Resilience;
        if (r.AttemptTimeout <= TimeSpan.Zero || r.TotalTimeout < r.AttemptTimeout)
        {
            failures.Add("ImagingRepo:Resilience: AttemptTimeout must be positive and TotalTimeout at least AttemptTimeout");
        }

        if (r.BaseDelay < TimeSpan.Zero || r.MaxDelay < r.BaseDelay) failures.Add("ImagingRepo:Resilience: MaxDelay must be at least BaseDelay");
        if (r.CircuitSamplingDuration < TimeSpan.FromSeconds(1)) failures.Add("ImagingRepo:Resilience: CircuitSamplingDuration must be at least 1 s");
        if (r.CircuitBreakDuration < TimeSpan.FromSeconds(1)) failures.Add("ImagingRepo:Resilience: CircuitBreakDuration must be at least 1 s");
        if (options.Datasets.CreationPollInterval <= TimeSpan.Zero) failures.Add("ImagingRepo:Datasets:CreationPollInterval must be positive");

        if (options.DataLake.Kind == DataLakeKind.S3 && string.IsNullOrWhiteSpace(options.DataLake.S3.Bucket))
        {
            failures.Add("ImagingRepo:DataLake:S3:Bucket is required for an S3 data lake");
        }

        if (options.DataLake.Kind == DataLakeKind.LocalFolder && string.IsNullOrWhiteSpace(options.DataLake.LocalPath))
        {
            failures.Add("ImagingRepo:DataLake:LocalPath is required for a local-folder data lake");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
