using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImagingRepo.Client.Http;

/// <summary>Reads and writes an <see cref="IExtensibleEnum{TSelf}"/> as its JSON string, whatever the string is.</summary>
/// <typeparam name="T">The enumeration type.</typeparam>
public sealed class ExtensibleEnumJsonConverter<T> : JsonConverter<T> where T : struct, IExtensibleEnum<T>
{
    /// <inheritdoc />
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? T.FromValue(reader.GetString()!)
            : throw new JsonException($"expected a string for {typeof(T).Name}, found {reader.TokenType}");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Value);
    }
}
