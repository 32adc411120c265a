using System.ComponentModel.DataAnnotations;

namespace ImagingRepo.Client.Http;

/// <summary>
/// How the clients ride out a flaky or busy service (section <c>ImagingRepo:Resilience</c>): retries with exponential
/// back-off and jitter on transient failures, honouring <c>Retry-After</c> on 429 and 503; a timeout per attempt and
/// per call; a circuit breaker that stops calling a service that keeps failing.
/// </summary>
public sealed class ClientResilienceOptions
{
    /// <summary>Retries after the first attempt (default 3; 0 turns retrying off).</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first back-off delay, doubled (with jitter) on each retry (default 1 s).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait before a retry, <c>Retry-After</c> included (default 30 s).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take (default 30 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a call may take with all its retries (default 2 min).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The share of failed calls in <see cref="CircuitSamplingDuration"/> that opens the circuit (default 0.5).</summary>
    [Range(0.01, 1.0)]
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>The fewest calls in <see cref="CircuitSamplingDuration"/> before the circuit may open (default 20).</summary>
    [Range(2, int.MaxValue)]
    public int CircuitMinimumThroughput { get; set; } = 20;

    /// <summary>The window failures are counted in (default 30 s).</summary>
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses calls before trying again (default 15 s).</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
