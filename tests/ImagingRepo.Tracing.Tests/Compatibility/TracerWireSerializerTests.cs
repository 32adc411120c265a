using System.Text;
using ImagingRepo.Tracing.Compatibility;
using ImagingRepo.Tracing.Hashing;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Tracing.Tests.Compatibility;

public class TracerWireSerializerTests
{
    [Theory]
    [InlineData("v1-stored-create-dataset.json")]
    [InlineData("v1-stored-update-dataset.json")]
    [InlineData("v1-stored-use-datasets.json")]
    [InlineData("v1-stored-create-model-pod.json")]
    [InlineData("v1-stored-use-model-pod.json")]
    public void Stored_v1_traces_parse_and_are_written_back_the_same(string fixture)
    {
        var trace = TracerWireSerializer.ReadV1Trace(Fixtures.Bytes(fixture));
        Assert.Equal(Fixtures.Compacted(fixture), Fixtures.Text(TracerWireSerializer.WriteV1Trace(trace)));
    }

    [Fact]
    public void A_stored_create_dataset_trace_gives_the_typed_trace_with_its_string_timestamp()
    {
        var read = TracerWireSerializer.ReadV1Trace(Fixtures.Bytes("v1-stored-create-dataset.json"));
        var trace = Assert.IsType<CreateDatasetTrace>(read.Trace);
        Assert.Equal(Guid.Parse("8c1f3e2a-6b7d-4c9e-a1f2-3b4c5d6e7f80"), trace.Id);
        Assert.Equal(1_711_353_052_123, trace.Timestamp);
        Assert.Equal("dataset-service", trace.CallerId);
        Assert.Equal(["index", "images", "clinicalData"], trace.TraceResources.Select(r => r.Id));
        Assert.Equal(TraceHashType.Sha3_512, trace.TraceResources[1].ContentHashType);
    }

    [Fact]
    public void Epoch_millisecond_ids_are_kept_and_give_a_stable_trace_id()
    {
        var read = TracerWireSerializer.ReadV1Trace(Fixtures.Bytes("v1-stored-update-dataset.json"));
        Assert.Equal("1650012345678", read.Id);
        Assert.Equal(TracerTrace.TraceIdOf("1650012345678"), read.Trace.Id);
        Assert.NotEqual(TracerTrace.TraceIdOf("1650012345679"), read.Trace.Id);
        Assert.Equal(8, read.Trace.Id.Version);
        Assert.Equal(TraceUpdateDetails.Publish, Assert.IsType<UpdateDatasetTrace>(read.Trace).Details);
    }

    [Fact]
    public void Pod_actions_are_the_model_actions_with_their_application()
    {
        var created = Assert.IsType<CreateModelTrace>(TracerWireSerializer.ReadV1Trace(Fixtures.Bytes("v1-stored-create-model-pod.json")).Trace);
        Assert.Equal(TraceUserAction.CreateModel, created.UserAction);
        Assert.Equal("desktop-tensorflow", created.ApplicationId);
        Assert.Equal(["6a2b0e4c-1d3f-4a5b-9c8d-7e6f5a4b3c2d"], created.DatasetsIds!);
        var used = Assert.IsType<UseModelsTrace>(TracerWireSerializer.ReadV1Trace(Fixtures.Bytes("v1-stored-use-model-pod.json")).Trace);
        Assert.Equal("jupyter-pytorch", used.ApplicationId);
        Assert.Equal(["prostate-seg-3", "lung-nodules-1"], used.ModelsIds);
    }

    [Theory]
    [InlineData("1711353052123")]
    [InlineData("\"2024-03-25T07:50:52.123Z\"")]
    [InlineData("\"2024-03-25T08:50:52.123+01:00\"")]
    [InlineData("\"2024-03-25T07:50:52.123\"")]
    public void Timestamps_are_read_as_numbers_or_strings_in_epoch_ms_or_iso(string timestamp)
    {
        var json = $$"""{"id":"x1","callerId":"c","timestamp":{{timestamp}},"userId":"u","userAction":"USE_MODELS","applicationId":"a","modelsIds":["m"]}""";
        var trace = TracerWireSerializer.ReadV1Trace(Encoding.UTF8.GetBytes(json)).Trace;
        Assert.Equal(1_711_353_052_123, trace.Timestamp);
        Assert.Equal(TraceUserAction.UseModels, trace.UserAction); // the request spelling is read as well as _POD
    }

    [Fact]
    public void The_by_id_envelope_parses_with_a_found_trace_and_with_a_null_one()
    {
        var found = Assert.Single(TracerWireSerializer.ReadV1TraceById(Fixtures.Bytes("v1-by-id.json")));
        Assert.Equal("BESU_PRIVATE", found.Blockchain);
        var use = Assert.IsType<UseDatasetsTrace>(found.Trace!.Trace);
        Assert.Null(use.Tool); // {"name": null, "version": null}
        Assert.Equal(Fixtures.Compacted("v1-by-id.json"), Fixtures.Text(TracerWireSerializer.WriteV1TraceById([found])));

        var missing = Assert.Single(TracerWireSerializer.ReadV1TraceById(Fixtures.Bytes("v1-by-id-null-trace.json")));
        Assert.Null(missing.Trace);
        Assert.Equal(Fixtures.Compacted("v1-by-id-null-trace.json"), Fixtures.Text(TracerWireSerializer.WriteV1TraceById([missing])));
    }

    [Fact]
    public void The_list_page_parses_with_iso_timestamps_and_pod_actions_and_is_written_back_the_same()
    {
        var page = Assert.Single(TracerWireSerializer.ReadV1TraceList(Fixtures.Bytes("v1-list.json")));
        Assert.Equal(42, page.CountAllTraces);
        Assert.Equal(
            [TraceUserAction.CreateDataset, TraceUserAction.UpdateDataset, TraceUserAction.UseDatasets, TraceUserAction.CreateModel, TraceUserAction.UseModels],
            page.Traces.Select(s => s.UserAction));
        Assert.Equal("PUBLISH", page.Traces[1].Details);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_711_353_052_123), page.Traces[0].Timestamp);
        Assert.Equal(Fixtures.Compacted("v1-list.json"), Fixtures.Text(TracerWireSerializer.WriteV1TraceList([page])));
    }

    [Fact]
    public void A_list_summary_of_a_stored_trace_is_what_the_tracer_lists()
    {
        string[] stored = ["v1-stored-create-dataset.json", "v1-stored-update-dataset.json", "v1-stored-use-datasets.json",
            "v1-stored-create-model-pod.json", "v1-stored-use-model-pod.json"];
        var summaries = stored.Select(f => TracerWireSerializer.ToV1Summary(TracerWireSerializer.ReadV1Trace(Fixtures.Bytes(f)))).ToList();
        var page = new TracerV1TracePage("BESU_PRIVATE", summaries, 42);
        Assert.Equal(Fixtures.Compacted("v1-list.json"), Fixtures.Text(TracerWireSerializer.WriteV1TraceList([page])));
    }

    [Theory]
    [InlineData("v2-trace-create-dataset.json")]
    [InlineData("v2-trace-update-dataset.json")]
    [InlineData("v2-trace-use-datasets.json")]
    public void V2_traces_parse_and_are_written_back_the_same(string fixture)
    {
        var trace = TracerWireSerializer.ReadV2Trace(Fixtures.Bytes(fixture));
        Assert.Equal(Fixtures.Compacted(fixture), Fixtures.Text(TracerWireSerializer.WriteV2Trace(trace)));
    }

    [Fact]
    public void A_v2_page_parses_and_is_written_back_the_same()
    {
        var page = TracerWireSerializer.ReadV2TracePage(Fixtures.Bytes("v2-page.json"));
        Assert.Equal((57L, 20, 3), (page.Total, page.Skip, page.Limit));
        Assert.Equal(TraceUpdateDetails.AuthorChanged, Assert.IsType<UpdateDatasetTrace>(page.Data[1].Trace).Details);
        var use = Assert.IsType<UseDatasetsTrace>(page.Data[0].Trace);
        Assert.Equal(new TraceTool("totalsegmentator", "2.4.0"), use.Tool);
        Assert.Equal(1_737_549_045_001, use.Timestamp); // createdAt 2025-01-22T12:30:45.001Z
        Assert.Equal(Fixtures.Compacted("v2-page.json"), Fixtures.Text(TracerWireSerializer.WriteV2TracePage(page)));
    }

    [Theory]
    [InlineData("""{"traces":null}""", "traces")]
    [InlineData("""{}""", "traces")]
    [InlineData("""null""", "document")]
    [InlineData("""{"traces":[null]}""", "traces[0]")]
    [InlineData("""{"traces":[{"blockchain":"BESU_PRIVATE","trace":{"id":"1","callerId":"c","timestamp":"1","userAction":"USE_DATASETS","datasetsIds":["d"]}}]}""", "traces[0].trace.userId")]
    [InlineData("""{"traces":[{"blockchain":"BESU_PRIVATE","trace":{"id":"1","callerId":"c","timestamp":"yesterday","userId":"u","userAction":"USE_DATASETS","datasetsIds":["d"]}}]}""", "traces[0].trace.timestamp")]
    [InlineData("""{"traces":[{"blockchain":"BESU_PRIVATE","trace":{"id":"1","callerId":"c","timestamp":"1","userId":"u","userAction":"DELETE_DATASET"}}]}""", "traces[0].trace.userAction")]
    [InlineData("""{"traces":[{"blockchain":"BESU_PRIVATE","trace":{"id":"1","callerId":"c","timestamp":"1","userId":"u","userAction":"USE_DATASETS","datasetsIds":[]}}]}""", "traces[0].trace.datasetsIds")]
    [InlineData("""{"traces":[{"blockchain":"BESU_PRIVATE","trace":[]}]}""", "traces[0].trace")]
    [InlineData("""{"traces":[""", "invalid JSON")]
    public void A_by_id_envelope_that_is_not_one_gives_the_typed_error_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<TraceFormatException>(() => TracerWireSerializer.ReadV1TraceById(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"traces":null}""", "traces")]
    [InlineData("""{"traces":[{"blockchain":"B","traces":null,"countAllTraces":0}]}""", "traces[0].traces")]
    [InlineData("""{"traces":[{"blockchain":"B","traces":[],"countAllTraces":"many"}]}""", "traces[0].countAllTraces")]
    public void A_list_that_is_not_one_gives_the_typed_error_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<TraceFormatException>(() => TracerWireSerializer.ReadV1TraceList(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"total":1,"skip":0,"limit":5,"data":null}""", "data")]
    [InlineData("""{"total":1,"skip":0,"limit":5,"data":[{"id":"not-a-uuid","callerId":"c","createdAt":"2025-01-01T00:00:00Z","version":2,"userId":"u","userAction":"UPDATE_DATASET","datasetId":"d","details":"RELEASE"}]}""", "data[0].id")]
    [InlineData("""{"total":1,"skip":0,"limit":5,"data":[{"id":"5c6d7e8f-9012-4b23-84d5-e6f708192a3b","callerId":"c","createdAt":"2025-01-01T00:00:00Z","version":1,"userId":"u","userAction":"UPDATE_DATASET","datasetId":"d","details":"RELEASE"}]}""", "data[0].version")]
    [InlineData("""{"total":1,"skip":0,"limit":5,"data":[{"id":"5c6d7e8f-9012-4b23-84d5-e6f708192a3b","callerId":"c","createdAt":"2025-01-01T00:00:00Z","version":2,"userId":"u","userAction":"USE_MODELS","modelsIds":["m"]}]}""", "data[0].userAction")]
    public void A_v2_page_that_is_not_one_gives_the_typed_error_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<TraceFormatException>(() => TracerWireSerializer.ReadV2TracePage(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clinicalData")]
    [InlineData("eforms")]
    public void A_creation_trace_of_the_chaimeleon_dataset_service_checks_against_our_hash_tree(string eformsResource)
    {
        byte[] images = Enumerable.Repeat((byte)1, 32).ToArray(), index = Enumerable.Repeat((byte)2, 32).ToArray(), eforms = Enumerable.Repeat((byte)3, 32).ToArray();
        var tree = new DatasetHashTree(images, index, eforms, []);
        var json = $$"""
            {"version":"V1","id":"8c1f3e2a-6b7d-4c9e-a1f2-3b4c5d6e7f80","timestamp":"1711353052123","callerId":"dataset-service","userId":"u",
             "userAction":"CREATE_DATASET","datasetId":"d","traceResources":[
               {"id":"index","contentHash":"{{Convert.ToBase64String(index)}}","contentHashType":"SHA3_256"},
               {"id":"images","contentHash":"{{Convert.ToBase64String(images)}}","contentHashType":"SHA3_256"},
               {"id":"{{eformsResource}}","contentHash":"{{Convert.ToBase64String(eforms)}}","contentHashType":"SHA3_256"}]}
            """;
        var creation = Assert.IsType<CreateDatasetTrace>(TracerWireSerializer.ReadV1Trace(Encoding.UTF8.GetBytes(json)).Trace);
        var result = tree.CompareWith(creation);
        Assert.True(result.IsIntact, string.Join("; ", result.Mismatches));
        Assert.Contains(tree.ToTraceResources(), r => r.Id == DatasetHashTree.ClinicalDataResource);

        var changed = tree with { Eforms = Enumerable.Repeat((byte)4, 32).ToArray() };
        Assert.StartsWith(eformsResource + ":", Assert.Single(changed.CompareWith(creation).Mismatches), StringComparison.Ordinal);
    }
}
