namespace ImagingRepo.Tracing.Compatibility;

/// <summary>The shapes a trace's action fields take on the wire (the header fields are each format's own).</summary>
internal enum WireDialect
{
    /// <summary>A trace the CHAIMELEON tracer V1 stores and returns: <c>traceResources</c>, a nested <c>tool</c>, <c>_POD</c> model actions.</summary>
    V1Stored,

    /// <summary>A <c>POST /api/v1/traces</c> body: <c>resources</c> of <c>contentType</c> HASH, flat <c>toolName</c>/<c>toolVersion</c>.</summary>
    V1Request,

    /// <summary>A trace or a request of the EUCAIM tracing service v2: dataset actions only, <c>resources</c>, flat tool fields.</summary>
    V2,
}
