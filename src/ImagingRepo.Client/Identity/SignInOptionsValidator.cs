using Microsoft.Extensions.Options;

namespace ImagingRepo.Client.Identity;

/// <summary>Checks that <see cref="SignInOptions"/> hold what their <see cref="SignInOptions.Flow"/> needs.</summary>
public sealed class SignInOptionsValidator : IValidateOptions<SignInOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SignInOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Flow is SignInFlow.ClientCredentials or SignInFlow.DeviceCode)
        {
            if (options.Authority is null)
            {
                failures.Add($"SignIn:Authority is required for the {options.Flow} flow");
            }
            else if (!options.Authority.IsAbsoluteUri)
            {
                failures.Add("SignIn:Authority must be an absolute URL");
            }
            else if (options.RequireHttps && options.Authority.Scheme != Uri.UriSchemeHttps && !options.Authority.IsLoopback)
            {
                failures.Add($"SignIn:Authority must be HTTPS (got {options.Authority.Scheme}); plain HTTP is accepted on loopback only");
            }

            if (string.IsNullOrWhiteSpace(options.ClientId)) failures.Add($"SignIn:ClientId is required for the {options.Flow} flow");
        }

        if (options.Flow == SignInFlow.ClientCredentials && string.IsNullOrEmpty(options.ClientSecret))
        {
            failures.Add("SignIn:ClientSecret is required for the ClientCredentials flow");
        }

        if (options.Flow == SignInFlow.TokenFile && string.IsNullOrWhiteSpace(options.TokenFile))
        {
            failures.Add("SignIn:TokenFile is required for the TokenFile flow");
        }

        if (options.RefreshBeforeExpiry < TimeSpan.Zero) failures.Add("SignIn:RefreshBeforeExpiry must not be negative");
        if (options.TokenFileRereadInterval <= TimeSpan.Zero) failures.Add("SignIn:TokenFileRereadInterval must be positive");
        if (options.DiscoveryCacheDuration <= TimeSpan.Zero) failures.Add("SignIn:DiscoveryCacheDuration must be positive");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
