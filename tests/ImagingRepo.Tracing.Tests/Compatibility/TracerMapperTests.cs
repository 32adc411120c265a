using System.Text;
using ImagingRepo.Tracing.Compatibility;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Tracing.Tests.Compatibility;

public class TracerMapperTests
{
    private static readonly Guid Id = Guid.Parse("0d9c8b7a-6f5e-4d3c-8b2a-190817263544");
    private const long Now = 1_737_549_045_001;

    [Theory]
    [InlineData("v1-request-create-dataset.json", TraceUserAction.CreateDataset)]
    [InlineData("v1-request-update-dataset.json", TraceUserAction.UpdateDataset)]
    [InlineData("v1-request-use-datasets.json", TraceUserAction.UseDatasets)]
    [InlineData("v1-request-create-model.json", TraceUserAction.CreateModel)]
    [InlineData("v1-request-use-models.json", TraceUserAction.UseModels)]
    public void V1_requests_parse_and_our_traces_are_written_as_the_same_requests(string fixture, TraceUserAction action)
    {
        var request = TracerV1Mapper.FromRequest(Fixtures.Bytes(fixture), Id, "dataset-service", Now);
        Assert.Equal(action, request.Trace.UserAction);
        Assert.Equal((Id, "dataset-service", Now), (request.Trace.Id, request.Trace.CallerId, request.Trace.Timestamp));
        Assert.Equal(Fixtures.Compacted(fixture), Fixtures.Text(TracerV1Mapper.ToRequest(request.Trace, request.Blockchains)));
    }

    [Fact]
    public void A_v1_request_carries_no_id_timestamp_or_caller_and_the_tool_flat()
    {
        var json = Fixtures.Text(TracerV1Mapper.ToRequest(TestTraces.Use("a")));
        foreach (var absent in new[] { "\"id\"", "\"timestamp\"", "\"callerId\"", "\"tool\"", "\"version\"" }) Assert.DoesNotContain(absent, json, StringComparison.Ordinal);
        Assert.Contains("\"toolName\":\"nnunet\",\"toolVersion\":\"2.5\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void What_the_v1_tracer_would_refuse_is_refused_before_sending()
    {
        var noApplication = new UseModelsTrace { Id = Id, CallerId = "c", Timestamp = 1, UserId = "u", ModelsIds = ["m"] };
        Assert.Contains("applicationId", Assert.Throws<TraceFormatException>(() => TracerV1Mapper.ToRequest(noApplication)).Message, StringComparison.Ordinal);
        var noDatasets = new CreateModelTrace { Id = Id, CallerId = "c", Timestamp = 1, UserId = "u", ModelId = "m", ApplicationId = "a" };
        Assert.Contains("datasetsIds", Assert.Throws<TraceFormatException>(() => TracerV1Mapper.ToRequest(noDatasets)).Message, StringComparison.Ordinal);
        var author = TestTraces.Update("d", TraceUpdateDetails.AuthorChanged);
        Assert.Contains("AUTHOR_CHANGED", Assert.Throws<TraceFormatException>(() => TracerV1Mapper.ToRequest(author)).Message, StringComparison.Ordinal);
        var fileData = """{"userId":"u","userAction":"CREATE_DATASET","datasetId":"d","resources":[{"id":"x","contentType":"FILE_DATA","data":"AA=="}]}""";
        Assert.Contains("resources[0].contentType", Assert.Throws<TraceFormatException>(() => TracerV1Mapper.FromRequest(Encoding.UTF8.GetBytes(fileData), Id, "c", Now)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v2-request-create-dataset.json", TraceUserAction.CreateDataset)]
    [InlineData("v2-request-update-dataset.json", TraceUserAction.UpdateDataset)]
    [InlineData("v2-request-use-datasets.json", TraceUserAction.UseDatasets)]
    public void V2_requests_parse_and_our_traces_are_written_as_the_same_requests(string fixture, TraceUserAction action)
    {
        var trace = TracerV2Mapper.FromRequest(Fixtures.Bytes(fixture), Id, "dataset-service", Now);
        Assert.Equal(action, trace.UserAction);
        Assert.Equal(Fixtures.Compacted(fixture), Fixtures.Text(TracerV2Mapper.ToRequest(trace)));
    }

    [Fact]
    public void What_the_v2_service_would_refuse_is_refused()
    {
        var model = new UseModelsTrace { Id = Id, CallerId = "c", Timestamp = 1, UserId = "u", ModelsIds = ["m"], ApplicationId = "a" };
        Assert.Contains("userAction", Assert.Throws<TraceFormatException>(() => TracerV2Mapper.ToRequest(model)).Message, StringComparison.Ordinal);
        var noTool = TestTraces.Use("a") with { Tool = null };
        Assert.Contains("toolName", Assert.Throws<TraceFormatException>(() => TracerV2Mapper.ToRequest(noTool)).Message, StringComparison.Ordinal);
        var noResources = TestTraces.Create("d") with { TraceResources = [] };
        Assert.Contains("resource", Assert.Throws<TraceFormatException>(() => TracerV2Mapper.ToRequest(noResources)).Message, StringComparison.Ordinal);

        var extra = """{"userId":"u","userAction":"UPDATE_DATASET","datasetId":"d","details":"RELEASE","timestamp":1}""";
        Assert.Contains("timestamp", Assert.Throws<TraceFormatException>(() => TracerV2Mapper.FromRequest(Encoding.UTF8.GetBytes(extra), Id, "c", Now)).Message, StringComparison.Ordinal);
        var withoutVersion = """{"userId":"u","userAction":"USE_DATASETS","datasetsIds":["d"],"toolName":"t"}""";
        Assert.Contains("toolVersion", Assert.Throws<TraceFormatException>(() => TracerV2Mapper.FromRequest(Encoding.UTF8.GetBytes(withoutVersion), Id, "c", Now)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_v2_creation_answer_gives_the_id()
    {
        var id = TracerV2Mapper.ReadCreatedId(Fixtures.Bytes("v2-created.json"));
        Assert.Equal(Guid.Parse("6d7e8f90-1234-4c56-97e8-f708192a3b4c"), id);
        Assert.Equal(Fixtures.Compacted("v2-created.json"), Fixtures.Text(TracerV2Mapper.WriteCreatedId(id)));
    }

    [Fact]
    public void A_recorded_trace_goes_to_either_tracer_as_it_was_recorded()
    {
        var trace = TestTraces.Pseudonymizer.Apply(TestTraces.Create("ds-9"));
        var v1 = TracerV1Mapper.FromRequest(TracerV1Mapper.ToRequest(trace), trace.Id, trace.CallerId, trace.Timestamp).Trace;
        var v2 = TracerV2Mapper.FromRequest(TracerV2Mapper.ToRequest(trace), trace.Id, trace.CallerId, trace.Timestamp);
        Assert.Equal(TraceSerializer.Serialize(trace), TraceSerializer.Serialize(v1));
        Assert.Equal(TraceSerializer.Serialize(trace), TraceSerializer.Serialize(v2));
    }
}
