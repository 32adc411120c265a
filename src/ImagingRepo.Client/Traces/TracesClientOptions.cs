using ImagingRepo.Client.Http;

namespace ImagingRepo.Client.Traces;

/// <summary>Settings of <see cref="TracesClient"/> (section <c>ImagingRepo:Traces</c>).</summary>
public sealed class TracesClientOptions : ClientOptionsBase
{
    /// <summary>The tracer's root (under which <c>api/v1/traces</c> or <c>api/v2/traces</c> lies); needed by dependency injection only.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The tracer's API (default <see cref="TracerApi.ChaimeleonV1"/>).</summary>
    public TracerApi Api { get; set; } = TracerApi.ChaimeleonV1;

    /// <summary>The blockchains a CHAIMELEON tracer is asked to record on (<c>blockchains</c>), or null for its default.</summary>
    public IReadOnlyList<string>? Blockchains { get; set; }
}
