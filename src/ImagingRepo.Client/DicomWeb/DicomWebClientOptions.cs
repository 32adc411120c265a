using ImagingRepo.Client.Http;

namespace ImagingRepo.Client.DicomWeb;

/// <summary>Settings of <see cref="DicomWebClient"/>.</summary>
public sealed class DicomWebClientOptions : ClientOptionsBase
{
    /// <summary>Retry, timeout and circuit-breaker settings of a client made with a constructor, or null for the defaults.</summary>
    public ClientResilienceOptions? Resilience { get; set; }

    /// <summary>
    /// Ask WADO-RS for the instances as stored (<c>transfer-syntax=*</c>, default true) rather than transcoded to Explicit VR
    /// Little Endian; a server that cannot transcode (or would lose compression) then sends what it has.
    /// </summary>
    public bool AnyTransferSyntax { get; set; } = true;
}
