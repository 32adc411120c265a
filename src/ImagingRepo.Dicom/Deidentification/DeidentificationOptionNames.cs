using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImagingRepo.Dicom.Deidentification;

/// <summary>Names of the profile options as written in policies, receipts and on the command line.</summary>
public static class DeidentificationOptionNames
{
    private static readonly (DeidentificationOptions Option, string Name, string Short)[] All =
    [
        (DeidentificationOptions.RetainSafePrivate, nameof(DeidentificationOptions.RetainSafePrivate), "retain-safe-private"),
        (DeidentificationOptions.RetainUids, nameof(DeidentificationOptions.RetainUids), "retain-uids"),
        (DeidentificationOptions.RetainDeviceIdentity, nameof(DeidentificationOptions.RetainDeviceIdentity), "retain-device-identity"),
        (DeidentificationOptions.RetainInstitutionIdentity, nameof(DeidentificationOptions.RetainInstitutionIdentity), "retain-institution-identity"),
        (DeidentificationOptions.RetainPatientCharacteristics, nameof(DeidentificationOptions.RetainPatientCharacteristics), "retain-patient-characteristics"),
        (DeidentificationOptions.RetainLongitudinalFullDates, nameof(DeidentificationOptions.RetainLongitudinalFullDates), "retain-full-dates"),
        (DeidentificationOptions.RetainLongitudinalModifiedDates, nameof(DeidentificationOptions.RetainLongitudinalModifiedDates), "retain-modified-dates"),
        (DeidentificationOptions.CleanDescriptors, nameof(DeidentificationOptions.CleanDescriptors), "clean-descriptors"),
        (DeidentificationOptions.CleanStructuredContent, nameof(DeidentificationOptions.CleanStructuredContent), "clean-structured-content"),
        (DeidentificationOptions.CleanGraphics, nameof(DeidentificationOptions.CleanGraphics), "clean-graphics"),
    ];

    /// <summary>The command-line names (<c>retain-uids</c>, <c>clean-descriptors</c>, ...).</summary>
    public static IReadOnlyList<string> ShortNames { get; } = [.. All.Select(a => a.Short)];

    /// <summary>Parses one option by its enum name or command-line name, case-insensitive.</summary>
    /// <param name="text">The name.</param>
    /// <param name="option">The option.</param>
    /// <returns>True when the name is known.</returns>
    public static bool TryParse(string? text, out DeidentificationOptions option)
    {
        foreach (var (o, name, shortName) in All)
        {
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(text, shortName, StringComparison.OrdinalIgnoreCase))
            {
                option = o;
                return true;
            }
        }

        option = DeidentificationOptions.None;
        return false;
    }

    /// <summary>The enum names of the options set in <paramref name="options"/>, in table order.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The names.</returns>
    public static IReadOnlyList<string> ToNames(DeidentificationOptions options)
    {
        var names = new List<string>(10);
        foreach (var (o, name, _) in All)
        {
            if ((options & o) != 0)
            {
                names.Add(name);
            }
        }

        return names;
    }
}

/// <summary>Reads options as a JSON array of names (enum or command-line form) and writes them as enum names.</summary>
internal sealed class DeidentificationOptionsJsonConverter : JsonConverter<DeidentificationOptions>
{
    public override DeidentificationOptions Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("options must be an array of option names, e.g. [\"RetainUids\"].");
        }

        var result = DeidentificationOptions.None;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            if (!DeidentificationOptionNames.TryParse(name, out var option))
            {
                throw new JsonException(
                    $"unknown option '{name}'; known: {string.Join(", ", DeidentificationOptionNames.ToNames((DeidentificationOptions)0x3FF))}.");
            }

            result |= option;
        }

        return result;
    }

    public override void Write(Utf8JsonWriter writer, DeidentificationOptions value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var name in DeidentificationOptionNames.ToNames(value))
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
    }
}
