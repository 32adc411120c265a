using ImagingRepo.TestSupport;
using YamlDotNet.RepresentationModel;

namespace ImagingRepo.Client.Tests.Models;

/// <summary>
/// The CHAIMELEON dataset service API v1 spec (shared/reference), read with YamlDotNet, with <c>$ref</c> and
/// <c>allOf</c> resolved into one property map per schema.
/// </summary>
internal sealed class ReferenceSpec
{
    private readonly YamlMappingNode _root;

    private ReferenceSpec(YamlMappingNode root) => _root = root;

    public static ReferenceSpec? TryLoad()
    {
        var path = Path.Combine(TestEnvironment.SharedFolder, "reference", "chaimeleon-dataset-service-api-v1.yaml");
        var configured = Environment.GetEnvironmentVariable("IMAGINGREPO_REFERENCE_SPEC");
        if (!string.IsNullOrEmpty(configured)) path = configured;
        if (!File.Exists(path)) return null;
        var stream = new YamlStream();
        using var reader = File.OpenText(path);
        stream.Load(reader);
        return new ReferenceSpec((YamlMappingNode)stream.Documents[0].RootNode);
    }

    public YamlMappingNode Schemas => Map(Map(_root, "components"), "schemas");

    public YamlMappingNode Paths => Map(_root, "paths");

    /// <summary>The schema at a slash path under the root, e.g. <c>paths//datasets/get/responses/200/...</c> given as segments.</summary>
    public YamlNode At(params string[] segments)
    {
        YamlNode node = _root;
        foreach (var segment in segments)
        {
            node = node switch
            {
                YamlMappingNode map => map.Children[new YamlScalarNode(segment)],
                YamlSequenceNode list => list.Children[int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture)],
                _ => throw new InvalidOperationException($"cannot step into {segment}"),
            };
        }

        return node;
    }

    /// <summary>The JSON body schema of an operation's response (or request, with status "request").</summary>
    public YamlMappingNode Body(string path, string method, string status)
    {
        var operation = Map(Map(Paths, path), method);
        var content = status == "request" ? Map(Map(operation, "requestBody"), "content") : Map(Map(Map(operation, "responses"), status), "content");
        return Map(Map(content, "application/json"), "schema");
    }

    /// <summary>Follows <c>$ref</c>s.</summary>
    public YamlMappingNode Resolve(YamlMappingNode schema)
    {
        while (schema.Children.TryGetValue(new YamlScalarNode("$ref"), out var reference))
        {
            var name = ((YamlScalarNode)reference).Value!.Split('/')[^1];
            schema = Map(Schemas, name);
        }

        return schema;
    }

    /// <summary>Every property of an object schema, <c>allOf</c> parts merged.</summary>
    public Dictionary<string, YamlMappingNode> Properties(YamlMappingNode schema)
    {
        schema = Resolve(schema);
        var result = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        if (schema.Children.TryGetValue(new YamlScalarNode("allOf"), out var parts))
        {
            foreach (var part in ((YamlSequenceNode)parts).Children.Cast<YamlMappingNode>())
            {
                foreach (var (name, value) in Properties(part)) result[name] = value;
            }
        }

        if (schema.Children.TryGetValue(new YamlScalarNode("properties"), out var properties))
        {
            foreach (var (key, value) in ((YamlMappingNode)properties).Children) result[((YamlScalarNode)key).Value!] = (YamlMappingNode)value;
        }

        return result;
    }

    /// <summary>The enum values of a schema (or of its array items), or null.</summary>
    public IReadOnlyList<string>? EnumValues(YamlMappingNode schema)
    {
        schema = Resolve(schema);
        if (schema.Children.TryGetValue(new YamlScalarNode("items"), out var items)) return EnumValues((YamlMappingNode)items);
        return schema.Children.TryGetValue(new YamlScalarNode("enum"), out var values)
            ? [.. ((YamlSequenceNode)values).Children.Cast<YamlScalarNode>().Select(v => v.Value!)]
            : null;
    }

    public static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    public static YamlMappingNode Map(YamlMappingNode map, string key) => (YamlMappingNode)map.Children[new YamlScalarNode(key)];
}
