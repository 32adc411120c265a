using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ImagingRepo.Tracing.Tests.Compatibility;

/// <summary>
/// The golden JSON files under Compatibility/Fixtures: the tracers' shapes written from the facts of the compatibility
/// issue (chaimeleon-eu/tracer c09b2a3, EUCAIM tracing-service v2), indented for reading.
/// </summary>
internal static class Fixtures
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Compatibility", "Fixtures", name));

    public static string[] Lines(string name) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Compatibility", "Fixtures", name)).Where(l => l.Length > 0).ToArray();

    /// <summary>
    /// The fixture as our writers write it: the same properties in the same order with the same values, without the
    /// indentation (and with strings escaped as an API body needs, which the fixtures already are).
    /// </summary>
    public static string Compacted(string name)
    {
        using var document = JsonDocument.Parse(Bytes(name));
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            document.RootElement.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string Text(byte[] json) => Encoding.UTF8.GetString(json);
}
