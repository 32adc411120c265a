namespace ImagingRepo.Tracing.Model;

/// <summary>
/// Which bytes <see cref="TraceSerializer.Serialize(Trace, TraceCanonicalForm)"/> writes for a trace. A Merkle leaf is
/// computed over these bytes, so every recorded trace keeps the form it was recorded (and anchored) with, and is
/// verified against that form: a later fix of the canonical JSON never turns an anchored trace into a tampered one.
/// </summary>
public enum TraceCanonicalForm
{
    /// <summary>
    /// The form of ImagingRepo 0.1 before the tracer-compatibility fix: the documented fields, then two stray
    /// properties, <c>"UserAction"</c> (the action's V1 name) and <c>"ReferencedDatasetIds"</c> (the dataset ids the
    /// trace concerns), which the serializer wrote by mistake. Outbox rows stored before the fix have this form.
    /// </summary>
    Original = 1,

    /// <summary>Exactly the documented fields (see docs/tracing.md): what is recorded now.</summary>
    Documented = 2,
}
