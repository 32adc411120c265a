using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;

namespace ImagingRepo.Tracing.Tests.Outbox;

public sealed class StoredDatasetIdsTests
{
    public static TheoryData<string[]> DatasetIdLists => new()
    {
        { ["dataset-1"] },
        { ["b", "a", "b"] },                   // order and repeats kept
        { ["a|b", "c"] },                      // a '|' inside an id: the column is ambiguous
        { ["a", "b", "c"] },                   // ... and this is what the column of the line above also splits into
        { ["años-2024", "x"] },                // escaped in the JSON
        { ["quote\"d", "back\\slash"] },
    };

    [Theory]
    [MemberData(nameof(DatasetIdLists))]
    public void Read_gives_the_traces_own_dataset_ids_in_order(string[] datasetIds)
    {
        var trace = TestTraces.Use(datasetIds);
        Assert.Equal(trace.ReferencedDatasetIds, Read(trace));
    }

    [Fact]
    public void Read_tells_no_dataset_from_one_empty_id()
    {
        var none = new CreateModelTrace
        {
            Id = Guid.NewGuid(), CallerId = "jobman", Timestamp = 1_700_000_000_000, UserId = TestTraces.Username, ModelId = "model-1",
        };
        var oneEmpty = none with { Id = Guid.NewGuid(), DatasetsIds = [""] };
        Assert.Equal(StoredDatasetIds.Join(none.ReferencedDatasetIds), StoredDatasetIds.Join(oneEmpty.ReferencedDatasetIds));
        Assert.Empty(Read(none));
        Assert.Equal([""], Read(oneEmpty));
    }

    [Fact]
    public void Read_parses_the_json_when_the_column_is_missing()
    {
        var trace = TestTraces.Create("dataset-7");
        Assert.Equal(["dataset-7"], StoredDatasetIds.Read(null, TraceSerializer.Serialize(trace)));
    }

    private static IReadOnlyList<string> Read(Trace trace) =>
        StoredDatasetIds.Read(StoredDatasetIds.Join(trace.ReferencedDatasetIds), TraceSerializer.Serialize(trace));
}
