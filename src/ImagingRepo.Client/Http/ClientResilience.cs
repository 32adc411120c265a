using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace ImagingRepo.Client.Http;

/// <summary>
/// Builds the resilience pipeline of the clients (Polly through Microsoft.Extensions.Http.Resilience), the same for the
/// DI-registered clients and for those made with a constructor: total timeout, retry, circuit breaker, attempt timeout.
/// </summary>
public static class ClientResilience
{
    /// <summary>
    /// Adds the strategies to <paramref name="builder"/>. Retried: 429 and 503 for every method (the service did not
    /// act on the request), waiting what <c>Retry-After</c> says; other transient failures (5xx, 408, broken
    /// connections, attempt timeouts) only for methods that may be repeated (GET, HEAD, OPTIONS, PUT, DELETE), so that a
    /// dataset creation is never sent twice.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="options">The settings.</param>
    public static ResiliencePipelineBuilder<HttpResponseMessage> AddImagingRepoStrategies(this ResiliencePipelineBuilder<HttpResponseMessage> builder,
        ClientResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = options.TotalTimeout, Name = "ImagingRepo.TotalTimeout" });
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "ImagingRepo.Retry",
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
            });
        }

        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            Name = "ImagingRepo.CircuitBreaker",
            FailureRatio = options.CircuitFailureRatio,
            MinimumThroughput = options.CircuitMinimumThroughput,
            SamplingDuration = options.CircuitSamplingDuration,
            BreakDuration = options.CircuitBreakDuration,
        });
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = options.AttemptTimeout, Name = "ImagingRepo.AttemptTimeout" });
        return builder;
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Result?.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) return true;
        var method = outcome.Result?.RequestMessage?.Method;
        if (method is not null && !IsRepeatable(method)) return false;
        return HttpClientResiliencePredicates.IsTransient(outcome) || outcome.Exception is TimeoutRejectedException;
    }

    private static bool IsRepeatable(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Put || method == HttpMethod.Delete;

    /// <summary>The exception a caller sees when the circuit is open: the service kept failing.</summary>
    /// <param name="exception">The exception thrown by the pipeline.</param>
    public static bool IsCircuitOpen(Exception exception) => exception is BrokenCircuitException;
}
