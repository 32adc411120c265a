using System.Text;
using System.Text.Json;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Tracing.Tests.Model;

public class TraceSerializerTests
{
    // A trace as the CHAIMELEON tracer V1 API carries it (discriminator not first, as other clients write it).
    private const string TracerJson = """
        {
          "id": "3f2b8a0e-4c1d-4e7a-9b3c-0123456789ab",
          "callerId": "dataset-service",
          "version": "V1",
          "timestamp": 1700000000000,
          "userId": "pseud:v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
          "userAction": "CREATE_DATASET",
          "datasetId": "d1",
          "traceResources": [
            { "id": "images", "contentHash": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "contentHashType": "SHA3_256" }
          ]
        }
        """;

    [Fact]
    public void Parses_tracer_v1_json_into_the_typed_record()
    {
        var trace = Assert.IsType<CreateDatasetTrace>(TraceSerializer.Deserialize(TracerJson));
        Assert.Equal(Guid.Parse("3f2b8a0e-4c1d-4e7a-9b3c-0123456789ab"), trace.Id);
        Assert.Equal("d1", trace.DatasetId);
        Assert.Equal(1_700_000_000_000, trace.Timestamp);
        Assert.Equal(TraceHashType.Sha3_256, Assert.Single(trace.TraceResources).ContentHashType);
    }

    [Fact]
    public void Writes_the_v1_field_names_and_enum_spellings()
    {
        var json = Encoding.UTF8.GetString(TraceSerializer.Serialize(TestTraces.Update("ds-1", TraceUpdateDetails.ContactInformationUpdated)));
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("UPDATE_DATASET", root.GetProperty("userAction").GetString());
        Assert.Equal("CONTACT_INFORMATION_UPDATED", root.GetProperty("details").GetString());
        Assert.Equal("V1", root.GetProperty("version").GetString());
        Assert.Equal("ds-1", root.GetProperty("datasetId").GetString());
        foreach (var name in new[] { "id", "callerId", "timestamp", "userId" }) Assert.True(root.TryGetProperty(name, out _), name);

        var use = Encoding.UTF8.GetString(TraceSerializer.Serialize(TestTraces.Use("a", "b")));
        Assert.Contains("\"datasetsIds\":[\"a\",\"b\"]", use, StringComparison.Ordinal);
        Assert.Contains("\"tool\":{\"name\":\"nnunet\",\"version\":\"2.5\"}", use, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialization_is_canonical_and_round_trips()
    {
        Trace[] traces = [TestTraces.Create("x"), TestTraces.Update("x"), TestTraces.Use("x", "y"),
            new CreateModelTrace { Id = Guid.NewGuid(), CallerId = "c", Timestamp = 1, UserId = "u", ModelId = "m", DatasetsIds = ["x"] },
            new UseModelsTrace { Id = Guid.NewGuid(), CallerId = "c", Timestamp = 1, UserId = "u", ModelsIds = ["m1", "m2"] }];
        foreach (var trace in traces)
        {
            var bytes = TraceSerializer.Serialize(trace);
            var again = TraceSerializer.Serialize(TraceSerializer.Deserialize(bytes));
            Assert.Equal(bytes, again);
        }
    }

    [Theory]
    [InlineData("""{"id":"3f2b8a0e-4c1d-4e7a-9b3c-0123456789ab","callerId":"c","timestamp":1,"userId":"u","userAction":"DELETE_EVERYTHING","datasetId":"d"}""", "userAction")]
    [InlineData("""{"id":"3f2b8a0e-4c1d-4e7a-9b3c-0123456789ab","callerId":"c","timestamp":1,"userId":"u","datasetId":"d","details":"RELEASE"}""", "userAction")]
    [InlineData("""{"id":"3f2b8a0e-4c1d-4e7a-9b3c-0123456789ab","callerId":"c","timestamp":1,"userId":"u","userAction":"UPDATE_DATASET","datasetId":"d","details":"EXPLODE"}""", "details")]
    [InlineData("""{"id":"3f2b8a0e-4c1d-4e7a-9b3c-0123456789ab","callerId":"c","timestamp":1,"userId":"u","userAction":"UPDATE_DATASET","details":"RELEASE"}""", "datasetId")]
    [InlineData("""{"id":"3f2b8a0e-4c1d-4e7a-9b3c-0123456789ab","callerId":"c","timestamp":1,"userId":"u","userAction":"USE_DATASETS","datasetsIds":[]}""", "datasetsIds")]
    [InlineData("""{"id":"3f2b8a0e-4c1d-4e7a-9b3c-0123456789ab","callerId":"c","timestamp":1,"userId":"u","userAction":"CREATE_DATASET","datasetId":"d","traceResources":[{"id":"images","contentHash":"AAAA","contentHashType":"SHA3_256"}]}""", "contentHash")]
    [InlineData("""{"id":"3f2b8a0e-4c1d-4e7a-9b3c-0123456789ab","callerId":"c","version":"V2","timestamp":1,"userId":"u","userAction":"USE_MODELS","modelsIds":["m"]}""", "version")]
    [InlineData("""{"id":"3f2b8a0e""", "trace JSON")]
    public void Bad_input_gives_a_typed_error_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<TraceFormatException>(() => TraceSerializer.Deserialize(json));
        Assert.Contains(field, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Oversized_input_is_refused_before_parsing()
    {
        var huge = new byte[TraceSerializer.MaxTraceBytes + 1];
        Assert.Throws<TraceFormatException>(() => TraceSerializer.Deserialize(huge));
    }
}
