using System.Buffers;
using System.Text.Json;

namespace ImagingRepo.Tracing.Model;

/// <summary>
/// Rebuilds the bytes of <see cref="TraceCanonicalForm.Original"/>: the documented JSON with the two properties the
/// serializer used to add at the end of every trace, <c>"UserAction"</c> and <c>"ReferencedDatasetIds"</c>, escaped as
/// System.Text.Json's default encoder escapes them (both forms are written with it).
/// </summary>
internal static class OriginalCanonicalForm
{
    public static byte[] From(byte[] documented, Trace trace)
    {
        var buffer = new ArrayBufferWriter<byte>(documented.Length + 96);
        buffer.Write(documented.AsSpan(0, documented.Length - 1)); // without its closing brace
        using (var writer = new Utf8JsonWriter(buffer))
        {
            buffer.Write(",\"UserAction\":"u8);
            writer.WriteStringValue(trace.UserAction.ToWireName());
            writer.Flush();
            writer.Reset();
            buffer.Write(",\"ReferencedDatasetIds\":"u8);
            writer.WriteStartArray();
            foreach (var id in trace.ReferencedDatasetIds) writer.WriteStringValue(id);
            writer.WriteEndArray();
            writer.Flush();
        }

        buffer.Write("}"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
