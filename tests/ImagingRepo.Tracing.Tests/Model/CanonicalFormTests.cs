using System.Text;
using System.Text.Json;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Tests.Compatibility;

namespace ImagingRepo.Tracing.Tests.Model;

public class CanonicalFormTests
{
    private static readonly string[] Header = ["userAction", "id", "callerId", "version", "timestamp", "userId"];
    private static readonly TraceResource Resource = new("weights", Convert.ToBase64String(new byte[32]), TraceHashType.Sha3_256);
    private static readonly TraceTool Tool = new("trainer", "1.0");

    public static TheoryData<string, Trace, string[]> Kinds() => new()
    {
        { "create dataset", TestTraces.Create("d"), ["datasetId", "traceResources"] },
        { "update dataset", TestTraces.Update("d"), ["datasetId", "details"] },
        { "use datasets with a tool", TestTraces.Use("d"), ["datasetsIds", "tool"] },
        { "use datasets without a tool", TestTraces.Use("d") with { Tool = null }, ["datasetsIds"] },
        { "create model, everything", Model() with { ApplicationId = "app", DatasetsIds = ["d"], TraceResources = [Resource], Tool = Tool },
            ["modelId", "applicationId", "datasetsIds", "traceResources", "tool"] },
        { "create model, the least", Model(), ["modelId"] },
        { "use models, everything", Models() with { ApplicationId = "app", DatasetsIds = ["d"], Tool = Tool }, ["modelsIds", "applicationId", "datasetsIds", "tool"] },
        { "use models, the least", Models(), ["modelsIds"] },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_trace_kind_has_exactly_its_documented_properties_in_order(string kind, Trace trace, string[] own)
    {
        using var document = JsonDocument.Parse(TraceSerializer.Serialize(trace));
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.True(Header.Concat(own).SequenceEqual(names), $"{kind}: {string.Join(", ", names)}");
        // among what must be absent: the CLR names the original form carried
        Assert.DoesNotContain("UserAction", names);
        Assert.DoesNotContain("ReferencedDatasetIds", names);
    }

    [Fact]
    public void The_original_form_is_rebuilt_byte_for_byte()
    {
        // canonical-original.jsonl: one trace of each kind as ImagingRepo wrote them before the form was fixed (b8d782d),
        // with a dataset id that needs escaping.
        foreach (var line in Fixtures.Lines("canonical-original.jsonl"))
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            var trace = TraceSerializer.Deserialize(bytes);
            Assert.Equal(line, Encoding.UTF8.GetString(TraceSerializer.Serialize(trace, TraceCanonicalForm.Original)));
            var documented = Encoding.UTF8.GetString(TraceSerializer.Serialize(trace));
            Assert.Equal(line[..line.IndexOf(",\"UserAction\":", StringComparison.Ordinal)] + "}", documented);
        }
    }

    private static CreateModelTrace Model() => new() { Id = Guid.NewGuid(), CallerId = "c", Timestamp = 1, UserId = "u", ModelId = "m" };

    private static UseModelsTrace Models() => new() { Id = Guid.NewGuid(), CallerId = "c", Timestamp = 1, UserId = "u", ModelsIds = ["m"] };
}
