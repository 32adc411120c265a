using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImagingRepo.Service.Storage;

/// <summary>Lists kept as JSON text in one column (tags, types, roles, …).</summary>
internal static class StorageJson
{
    public static string Write(IReadOnlyList<string> values) => JsonSerializer.Serialize(values as string[] ?? [.. values], StorageJsonContext.Default.StringArray);

    public static string[] ReadList(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, StorageJsonContext.Default.StringArray) ?? [];
}

/// <summary>Source-generated serialization of the column types.</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
