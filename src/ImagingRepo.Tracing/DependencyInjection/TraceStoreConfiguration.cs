namespace ImagingRepo.Tracing.DependencyInjection;

/// <summary>One registered adjustment of the builder (<c>ConfigureImagingRepoTracing</c>), applied in registration order.</summary>
/// <param name="Configure">The adjustment.</param>
internal sealed record TraceStoreConfiguration(Action<TraceStoreBuilder, IServiceProvider> Configure);
