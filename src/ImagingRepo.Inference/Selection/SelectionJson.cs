using System.Globalization;
using System.Text.Json;

namespace ImagingRepo.Inference.Selection;

/// <summary>Parses the JSON form of a selector, naming the JSON path of whatever is wrong.</summary>
internal static class SelectionJson
{
    private static readonly Dictionary<string, NumericComparison> Comparisons = new(StringComparer.Ordinal)
    {
        ["lessThan"] = NumericComparison.LessThan,
        ["lessThanOrEqual"] = NumericComparison.LessThanOrEqual,
        ["greaterThan"] = NumericComparison.GreaterThan,
        ["greaterThanOrEqual"] = NumericComparison.GreaterThanOrEqual,
        ["equalTo"] = NumericComparison.Equal,
        ["notEqualTo"] = NumericComparison.NotEqual,
    };

    public static SeriesSelector Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new SelectionRuleException("$", $"not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && (root.TryGetProperty("rule", out _) || root.TryGetProperty("mode", out _)))
            {
                var mode = SelectionMode.All;
                SelectionRule rule = SelectionRule.Everything;
                foreach (var property in root.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "mode":
                            mode = ParseMode(property.Value);
                            break;
                        case "rule":
                            rule = ParseRule(property.Value, "$.rule");
                            break;
                        default:
                            throw new SelectionRuleException($"$.{property.Name}", "unknown member (expected mode and rule)");
                    }
                }

                return new SeriesSelector(rule, mode);
            }

            return new SeriesSelector(ParseRule(root, "$"));
        }
    }

    private static SelectionMode ParseMode(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString() switch
        {
            "all" => SelectionMode.All,
            "first" => SelectionMode.First,
            "firstPerStudy" => SelectionMode.FirstPerStudy,
            var other => throw new SelectionRuleException("$.mode", $"'{other}' is not all, first or firstPerStudy"),
        }
        : throw new SelectionRuleException("$.mode", "must be a string");

    private static SelectionRule ParseRule(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SelectionRuleException(path, $"a rule must be an object, not {element.ValueKind}");
        }

        var names = element.EnumerateObject().Select(p => p.Name).ToList();
        if (element.TryGetProperty("all", out var all))
        {
            Only(names, path, "all");
            return SelectionRule.All(ParseList(all, path + ".all"));
        }

        if (element.TryGetProperty("any", out var any))
        {
            Only(names, path, "any");
            return SelectionRule.Any(ParseList(any, path + ".any"));
        }

        if (element.TryGetProperty("not", out var not))
        {
            Only(names, path, "not");
            return SelectionRule.Not(ParseRule(not, path + ".not"));
        }

        if (element.TryGetProperty("orientation", out var orientation))
        {
            Only(names, path, "orientation");
            return orientation.ValueKind == JsonValueKind.String && Enum.TryParse<PlaneOrientation>(orientation.GetString(), ignoreCase: true, out var plane)
                ? SelectionRule.Orientation(plane)
                : throw new SelectionRuleException(path + ".orientation", "must be axial, coronal, sagittal or oblique");
        }

        if (!element.TryGetProperty("attribute", out var attributeElement) || attributeElement.ValueKind != JsonValueKind.String)
        {
            throw new SelectionRuleException(path, "a rule needs all, any, not, orientation, or an attribute with an operator");
        }

        var attribute = attributeElement.GetString()!;
        if (!IsAttribute(attribute))
        {
            throw new SelectionRuleException(path + ".attribute", $"'{attribute}' is neither a DICOM keyword, a tag (GGGG,EEEE), nor one of InstanceCount, IndexTags, FolderName, SubjectName");
        }

        var ignoreCase = element.TryGetProperty("ignoreCase", out var ignore) && ignore.ValueKind == JsonValueKind.True;
        var operators = names.Where(n => n is not ("attribute" or "ignoreCase")).ToList();
        if (operators.Count != 1)
        {
            throw new SelectionRuleException(path, operators.Count == 0 ? $"attribute '{attribute}' has no operator" : $"attribute '{attribute}' has {operators.Count} operators ({string.Join(", ", operators)}); use all/any to combine them");
        }

        var name = operators[0];
        var value = element.GetProperty(name);
        var at = $"{path}.{name}";
        return name switch
        {
            "equals" => SelectionRule.Equal(attribute, Text(value, at), ignoreCase),
            "contains" => SelectionRule.Contains(attribute, Text(value, at), ignoreCase),
            "regex" => Regex(attribute, Text(value, at), ignoreCase, at),
            "range" => Range(attribute, value, at),
            _ when Comparisons.TryGetValue(name, out var comparison) => SelectionRule.Compare(attribute, comparison, Number(value, at)),
            _ => throw new SelectionRuleException(at, "unknown operator (equals, contains, regex, range, lessThan, lessThanOrEqual, greaterThan, greaterThanOrEqual, equalTo, notEqualTo)"),
        };
    }

    private static List<SelectionRule> ParseList(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new SelectionRuleException(path, "must be an array of rules");
        }

        var rules = new List<SelectionRule>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            rules.Add(ParseRule(item, $"{path}[{index++}]"));
        }

        return rules;
    }

    private static SelectionRule Regex(string attribute, string pattern, bool ignoreCase, string path)
    {
        try
        {
            return SelectionRule.Matching(attribute, pattern, ignoreCase);
        }
        catch (SelectionRuleException e)
        {
            throw new SelectionRuleException(path, e.Reason, e);
        }
    }

    private static SelectionRule Range(string attribute, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SelectionRuleException(path, "must be an object {\"min\": …, \"max\": …}");
        }

        double? min = null, max = null;
        foreach (var property in value.EnumerateObject())
        {
            switch (property.Name)
            {
                case "min":
                    min = Number(property.Value, path + ".min");
                    break;
                case "max":
                    max = Number(property.Value, path + ".max");
                    break;
                default:
                    throw new SelectionRuleException($"{path}.{property.Name}", "unknown member (expected min and max)");
            }
        }

        if (min is null && max is null)
        {
            throw new SelectionRuleException(path, "needs min, max or both");
        }

        return min > max ? throw new SelectionRuleException(path, $"min {min} is above max {max}") : SelectionRule.Between(attribute, min, max);
    }

    private static void Only(List<string> names, string path, string name)
    {
        if (names.Count != 1)
        {
            throw new SelectionRuleException(path, $"'{name}' cannot be combined with {string.Join(", ", names.Where(n => n != name))} in one object");
        }
    }

    private static string Text(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        _ => throw new SelectionRuleException(path, "must be a string"),
    };

    private static double Number(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new SelectionRuleException(path, "must be a number"),
    };

    private static bool IsAttribute(string attribute) =>
        attribute is SeriesCandidate.InstanceCountAttribute or SeriesCandidate.IndexTagsAttribute or SeriesCandidate.FolderNameAttribute or SeriesCandidate.SubjectNameAttribute
        || Dicom.DicomTag.TryParse(attribute, out _);
}
