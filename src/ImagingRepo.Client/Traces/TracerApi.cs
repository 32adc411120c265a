namespace ImagingRepo.Client.Traces;

/// <summary>Which tracer API a <see cref="TracesClient"/> speaks.</summary>
public enum TracerApi
{
    /// <summary>The CHAIMELEON tracer, <c>/api/v1/traces</c>: requests with flat tool fields, stored traces per blockchain.</summary>
    ChaimeleonV1 = 0,

    /// <summary>The EUCAIM tracing service, <c>/api/v2/traces</c>: the three dataset actions, pages of <c>{total, skip, limit, data}</c>.</summary>
    EucaimV2 = 1,
}
