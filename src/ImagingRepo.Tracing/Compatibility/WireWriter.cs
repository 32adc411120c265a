using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ImagingRepo.Tracing.Compatibility;

/// <summary>Writes the tracers' JSON: compact, and with the characters an API body needs escaped only (base64 <c>+</c> stays <c>+</c>).</summary>
internal static class WireWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// An instant as the tracers write ISO-8601: UTC with <c>Z</c>, milliseconds only when there are any (as Java's
    /// <c>Instant.toString()</c> prints a millisecond instant).
    /// </summary>
    public static string IsoInstant(long unixMilliseconds)
    {
        var instant = DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime;
        return instant.ToString(instant.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    public static void WriteStrings(this Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }
}
