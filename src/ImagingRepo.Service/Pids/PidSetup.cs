using System.Globalization;
using System.Net;
using ImagingRepo.Service.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace ImagingRepo.Service.Pids;

/// <summary>Registers the persistent-identifier provider the configuration names (local by default) and what uses it.</summary>
internal static class PidSetup
{
    public static IServiceCollection AddServicePids(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(PidOptions.SectionName);
        services.AddOptions<PidOptions>().Bind(section)
            .Validate(o => o.Zenodo.BaseUrl.IsAbsoluteUri, "ImagingRepo:Service:Pids:Zenodo:BaseUrl must be absolute")
            .Validate(o => o.PublicBaseUrl is null || o.PublicBaseUrl.IsAbsoluteUri, "ImagingRepo:Service:Pids:PublicBaseUrl must be absolute")
            .ValidateOnStart();
        services.AddOptions<ServiceOptions>()
            .Validate<Microsoft.Extensions.Options.IOptions<PidOptions>>((service, pids) => pids.Value.Provider != PidProviderKind.Zenodo
                    || Uri.TryCreate(string.Format(CultureInfo.InvariantCulture, service.DatasetLinkFormat, "x"), UriKind.Absolute, out _)
                    || pids.Value.PublicBaseUrl is not null,
                "The Zenodo provider needs absolute dataset links: an absolute ImagingRepo:Service:DatasetLinkFormat or ImagingRepo:Service:Pids:PublicBaseUrl");

        var options = section.Get<PidOptions>() ?? new PidOptions();
        if (options.Provider == PidProviderKind.Zenodo)
        {
            var zenodo = options.Zenodo;
            services.AddHttpClient(ZenodoPidProvider.HttpClientName).AddResilienceHandler(ZenodoPidProvider.HttpClientName, builder =>
            {
                builder.AddTimeout(new TimeoutStrategyOptions { Name = "Zenodo.TotalTimeout", Timeout = zenodo.TotalTimeout });
                if (zenodo.MaxRetries > 0)
                {
                    builder.AddRetry(new HttpRetryStrategyOptions
                    {
                        Name = "Zenodo.Retry",
                        MaxRetryAttempts = zenodo.MaxRetries,
                        Delay = zenodo.RetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldRetryAfterHeader = true,
                        ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context.GetRequestMessage()?.Method, args.Outcome)),
                    });
                }

                builder.AddTimeout(new TimeoutStrategyOptions { Name = "Zenodo.AttemptTimeout", Timeout = zenodo.AttemptTimeout });
            });
            services.TryAddSingleton<IPidProvider, ZenodoPidProvider>();
        }
        else
        {
            services.TryAddSingleton<IPidProvider, LocalPidProvider>();
        }

        services.AddSingleton<DatasetPidCoordinator>();
        return services;
    }

    /// <summary>
    /// Only calls that may be repeated are retried: a PUT of the metadata, a GET or a DELETE. A POST (create, edit,
    /// publish) is never sent twice, since Zenodo may have acted on the first one (a second deposition, a second version).
    /// </summary>
    internal static bool ShouldRetry(HttpMethod? method, Outcome<HttpResponseMessage> outcome)
    {
        method ??= outcome.Result?.RequestMessage?.Method;
        if (method is null || (method != HttpMethod.Put && method != HttpMethod.Get && method != HttpMethod.Delete)) return false;
        return outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests
            || HttpClientResiliencePredicates.IsTransient(outcome) || outcome.Exception is TimeoutRejectedException;
    }
}
