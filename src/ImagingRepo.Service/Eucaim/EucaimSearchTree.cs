using System.Text.Json;

namespace ImagingRepo.Service.Eucaim;

/// <summary>A node of EUCAIM's federated search tree: an AND/OR of nodes, or one condition.</summary>
internal abstract record EucaimNode;

/// <summary><c>{"operand": "AND"|"OR", "children": [...]}</c>; no children matches everything, as CHAIMELEON does.</summary>
internal sealed record EucaimOperation(bool IsAnd, IReadOnlyList<EucaimNode> Children) : EucaimNode;

/// <summary>A condition on one attribute, its value already translated from the EUCAIM codes to what the studies hold.</summary>
internal sealed record EucaimCondition(EucaimKey Key, EucaimConditionType Type, EucaimValue Value) : EucaimNode;

/// <summary>The condition types of the search.</summary>
internal enum EucaimConditionType
{
    Equals,
    NotEquals,
    In,
    Between,
    LowerThan,
    GreaterThan,
    Contains,
}

/// <summary>A translated value: a text (null meaning "unknown"), a list of texts, a number, or a range (an infinite bound is an open side).</summary>
internal abstract record EucaimValue;

internal sealed record EucaimText(string? Value, bool FreeText) : EucaimValue;

internal sealed record EucaimTextList(IReadOnlyList<string?> Values) : EucaimValue;

internal sealed record EucaimNumber(double Value) : EucaimValue;

internal sealed record EucaimRange(double Min, double Max) : EucaimValue;

/// <summary>A tree that cannot be searched, with the reason (answered as 422).</summary>
internal sealed class EucaimSearchException(string message) : Exception(message)
{
    public EucaimSearchException() : this("The search tree is malformed.")
    {
    }

    public EucaimSearchException(string message, Exception innerException) : this(message + " " + innerException.Message)
    {
    }
}

/// <summary>
/// Reads the search request <c>{"ast": NODE, "id": ...}</c> into <see cref="EucaimNode"/>s, checking every node: an
/// unknown key, type or code value is an error that names it (CHAIMELEON logs those and silently matches nothing).
/// </summary>
internal static class EucaimSearchTree
{
    /// <summary>Deepest nesting accepted.</summary>
    public const int MaxDepth = 32;

    /// <summary>Most nodes accepted in one tree.</summary>
    public const int MaxNodes = 1_000;

    public static EucaimNode Parse(JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object) throw new EucaimSearchException("The body must be a JSON object.");
        if (!request.TryGetProperty("ast", out var ast)) throw new EucaimSearchException("Missing property 'ast' in the request object.");
        if (ast.ValueKind != JsonValueKind.Object) throw new EucaimSearchException("The value of property 'ast' must be a JSON object.");
        var count = 0;
        return Node(ast, "ast", 0, ref count);
    }

    private static EucaimNode Node(JsonElement node, string where, int depth, ref int count)
    {
        if (depth > MaxDepth) throw new EucaimSearchException($"{where}: the tree is nested deeper than {MaxDepth} levels.");
        if (++count > MaxNodes) throw new EucaimSearchException($"The tree has more than {MaxNodes} nodes.");
        if (node.ValueKind != JsonValueKind.Object) throw new EucaimSearchException($"{where}: a node must be an object.");
        if (node.TryGetProperty("operand", out var operand))
        {
            var op = operand.ValueKind == JsonValueKind.String ? operand.GetString() : null;
            if (op is not ("AND" or "OR")) throw new EucaimSearchException($"{where}: 'operand' must be \"AND\" or \"OR\".");
            if (!node.TryGetProperty("children", out var children)) throw new EucaimSearchException($"{where}: missing 'children' in operation.");
            if (children.ValueKind != JsonValueKind.Array) throw new EucaimSearchException($"{where}: 'children' in operation must be an array.");
            var nodes = new List<EucaimNode>();
            var i = 0;
            foreach (var child in children.EnumerateArray()) nodes.Add(Node(child, $"{where}.children[{i++}]", depth + 1, ref count));
            return new EucaimOperation(op == "AND", nodes);
        }

        if (node.TryGetProperty("key", out var keyElement)) return Condition(node, keyElement, where);
        throw new EucaimSearchException($"{where}: missing 'operand' or 'key'.");
    }

    private static EucaimCondition Condition(JsonElement node, JsonElement keyElement, string where)
    {
        var keyName = keyElement.ValueKind == JsonValueKind.String ? keyElement.GetString()! : keyElement.GetRawText();
        if (!EucaimKeys.TryGet(keyName, out var key)) throw new EucaimSearchException($"{where}: unknown key '{keyName}' in condition (known: {string.Join(", ", EucaimKeys.Names)}).");
        if (!node.TryGetProperty("type", out var typeElement)) throw new EucaimSearchException($"{where}: missing 'type' in condition.");
        if (!node.TryGetProperty("value", out var value)) throw new EucaimSearchException($"{where}: missing 'value' in condition.");
        var typeName = typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString() : typeElement.GetRawText();
        var type = typeName switch
        {
            "EQUALS" => EucaimConditionType.Equals,
            "NOT_EQUALS" => EucaimConditionType.NotEquals,
            "IN" => EucaimConditionType.In,
            "BETWEEN" => EucaimConditionType.Between,
            "LOWER_THAN" => EucaimConditionType.LowerThan,
            "GREATER_THAN" => EucaimConditionType.GreaterThan,
            "CONTAINS" => EucaimConditionType.Contains,
            _ => throw new EucaimSearchException($"{where}: unknown type '{typeName}' in condition with key '{keyName}'."),
        };
        var context = $"{where}: type '{typeName}' in condition with key '{keyName}' ({key.Description})";
        return new EucaimCondition(key, type, key.IsNumeric ? NumericValue(type, value, context) : TextValue(key, type, value, context));
    }

    private static EucaimValue NumericValue(EucaimConditionType type, JsonElement value, string context)
    {
        switch (type)
        {
            case EucaimConditionType.Between:
                return Range(value, context);
            case EucaimConditionType.LowerThan or EucaimConditionType.GreaterThan:
                // A range is accepted here as CHAIMELEON accepts it: the bound on the condition's side, inclusive.
                if (value.ValueKind != JsonValueKind.Object) return new EucaimNumber(Number(value, context));
                var bounds = Range(value, context);
                var used = type == EucaimConditionType.LowerThan ? bounds.Max : bounds.Min;
                return double.IsFinite(used) ? bounds : throw new EucaimSearchException($"{context}: the range has no '{(type == EucaimConditionType.LowerThan ? "max" : "min")}' to compare with.");
            case EucaimConditionType.Equals or EucaimConditionType.NotEquals:
                return new EucaimNumber(Number(value, context));
            default:
                throw new EucaimSearchException($"{context} is not a numeric comparison (EQUALS, NOT_EQUALS, BETWEEN, LOWER_THAN, GREATER_THAN).");
        }
    }

    /// <summary>
    /// <c>{min, max}</c>. A bound given as <c>null</c> leaves that side open: EUCAIM's query builder (samply/lens, its
    /// number input holds <c>number | null</c> and names the one-sided value "≥ from" or "≤ to") sends
    /// <c>{"min": 65, "max": null}</c> when only one end is filled in. A missing bound, or two null bounds, is an error.
    /// </summary>
    private static EucaimRange Range(JsonElement value, string context)
    {
        if (value.ValueKind != JsonValueKind.Object) throw new EucaimSearchException($"{context}: the value must be an object {{min, max}}.");
        if (!value.TryGetProperty("min", out var min)) throw new EucaimSearchException($"{context}: missing 'min' in range.");
        if (!value.TryGetProperty("max", out var max)) throw new EucaimSearchException($"{context}: missing 'max' in range.");
        if (min.ValueKind == JsonValueKind.Null && max.ValueKind == JsonValueKind.Null) throw new EucaimSearchException($"{context}: 'min' and 'max' are both null.");
        var range = new EucaimRange(
            min.ValueKind == JsonValueKind.Null ? double.NegativeInfinity : Number(min, context),
            max.ValueKind == JsonValueKind.Null ? double.PositiveInfinity : Number(max, context));
        if (range.Min > range.Max) throw new EucaimSearchException($"{context}: 'min' is greater than 'max'.");
        return range;
    }

    private static double Number(JsonElement value, string context) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw new EucaimSearchException($"{context}: the value must be a number, not {value.GetRawText()}.");

    private static EucaimValue TextValue(EucaimKey key, EucaimConditionType type, JsonElement value, string context)
    {
        switch (type)
        {
            case EucaimConditionType.In:
                if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
                {
                    throw new EucaimSearchException($"{context}: the value must be an array of strings.");
                }

                return new EucaimTextList([.. value.EnumerateArray().Select(v => Translate(key, v.GetString()!, context))]);
            case EucaimConditionType.Equals or EucaimConditionType.NotEquals:
                if (value.ValueKind != JsonValueKind.String) throw new EucaimSearchException($"{context}: the value must be a string.");
                return new EucaimText(Translate(key, value.GetString()!, context), FreeText: false);
            case EucaimConditionType.Contains:
                if (value.ValueKind != JsonValueKind.String) throw new EucaimSearchException($"{context}: the value must be a string.");
                var text = value.GetString()!;
                // A code is translated; anything else is looked for as text in the values (CHAIMELEON refuses it).
                return key.TryTranslate(text, out var translated) ? new EucaimText(translated, FreeText: false) : new EucaimText(text, FreeText: true);
            default:
                throw new EucaimSearchException($"{context} is not a comparison of codes (EQUALS, NOT_EQUALS, IN, CONTAINS).");
        }
    }

    private static string? Translate(EucaimKey key, string code, string context) =>
        key.TryTranslate(code, out var value)
            ? value
            : throw new EucaimSearchException($"{context}: unknown value '{code}' (known: {string.Join(", ", key.Codes)}).");
}
