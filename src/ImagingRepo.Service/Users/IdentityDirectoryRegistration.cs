using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Users;

/// <summary>Registers the identity directory that <c>ImagingRepo:Service:IdentityDirectory:Kind</c> names (the embedded one by default).</summary>
internal static class IdentityDirectoryRegistration
{
    public static IServiceCollection AddIdentityDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IdentityDirectoryOptions>().Bind(configuration.GetSection(IdentityDirectoryOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdentityDirectoryOptions>, IdentityDirectoryOptionsValidator>();
        var kind = configuration.GetSection(IdentityDirectoryOptions.SectionName).Get<IdentityDirectoryOptions>()?.Kind ?? IdentityDirectoryKind.Embedded;
        if (kind != IdentityDirectoryKind.Keycloak) return services;

        // TLS as the platform's certificates say: no handler here turns certificate validation off.
        services.AddHttpClient(KeycloakTokenSource.HttpClientName).AddStandardResilienceHandler().Configure(ConfigureResilience);
        services.AddHttpClient(KeycloakAdminClient.HttpClientName).AddStandardResilienceHandler().Configure(ConfigureResilience);
        services.AddSingleton<KeycloakTokenSource>();
        services.AddSingleton<KeycloakAdminClient>();
        services.AddSingleton<IIdentityDirectory, KeycloakIdentityDirectory>();
        return services;
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions resilience, IServiceProvider services)
    {
        var o = services.GetRequiredService<IOptions<IdentityDirectoryOptions>>().Value;
        resilience.Retry.MaxRetryAttempts = o.Retries;
        resilience.Retry.Delay = o.RetryDelay;
    }

    /// <summary>Checks the Keycloak settings at start, naming the setting that is wrong.</summary>
    private sealed class IdentityDirectoryOptionsValidator : IValidateOptions<IdentityDirectoryOptions>
    {
        public ValidateOptionsResult Validate(string? name, IdentityDirectoryOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
