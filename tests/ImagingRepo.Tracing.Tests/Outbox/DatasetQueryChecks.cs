using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;

namespace ImagingRepo.Tracing.Tests.Outbox;

/// <summary>
/// Queries by dataset id on any store: ids that contain the LIKE wildcards <c>_</c> and <c>%</c> (allowed by Jobs) must
/// match exactly, and only themselves (<c>a_b</c> is not <c>aXb</c>, <c>a%b</c> is not <c>ab</c>).
/// </summary>
internal static class DatasetQueryChecks
{
    /// <summary>Dataset ids that differ only where a LIKE pattern would not see a difference.</summary>
    public static readonly string[] Ids = ["a_b", "aXb", "a%b", "ab", "a%", "a", @"a\b", "a|b", "100%_done"];

    /// <summary>Records one CREATE_DATASET per id, USE_DATASETS traces naming several ids (one twice), then 40 CREATE_DATASET at once.</summary>
    public static async Task<Dictionary<string, List<Guid>>> RecordAsync(TraceOutbox outbox)
    {
        var expected = Ids.ToDictionary(id => id, _ => new List<Guid>(), StringComparer.Ordinal);
        foreach (var id in Ids)
        {
            var trace = TestTraces.Create(id);
            await outbox.RecordAsync(trace);
            expected[id].Add(trace.Id);
        }

        foreach (Trace use in new[] { TestTraces.Use("a_b", "ab"), TestTraces.Use("a%b", "a%b", "aXb"), TestTraces.Use("a|b") })
        {
            await outbox.RecordAsync(use);
            foreach (var id in use.ReferencedDatasetIds.Distinct(StringComparer.Ordinal)) expected[id].Add(use.Id);
        }

        // Many at once, so that they share commits and their index rows are written several to a statement.
        var many = Enumerable.Range(0, 40).Select(k => TestTraces.Create(Ids[k % Ids.Length])).ToList();
        await Task.WhenAll(many.Select(trace => outbox.RecordAsync(trace)));
        foreach (var trace in many) expected[trace.DatasetId].Add(trace.Id);

        return expected;
    }

    /// <summary>Every id finds exactly its traces, in recording order, each once; paging by sequence works.</summary>
    public static async Task AssertExactAsync(TraceOutbox outbox, Dictionary<string, List<Guid>> expected)
    {
        foreach (var (id, traces) in expected)
        {
            var found = await outbox.ListAsync(new TraceListQuery(DatasetId: id, Limit: 1000));
            Assert.True(traces.SequenceEqual(found.Select(r => r.Trace.Id)),
                $"dataset '{id}': expected {traces.Count} trace(s), found {found.Count} ({string.Join(", ", found.Select(r => string.Join("+", r.Trace.ReferencedDatasetIds)))})");
        }

        Assert.Empty(await outbox.ListAsync(new TraceListQuery(DatasetId: "%")));
        Assert.Empty(await outbox.ListAsync(new TraceListQuery(DatasetId: "_")));

        // Paging: the second page starts after the first one's last sequence number.
        var first = Assert.Single(await outbox.ListAsync(new TraceListQuery(DatasetId: "a_b", Limit: 1)));
        var rest = await outbox.ListAsync(new TraceListQuery(DatasetId: "a_b", AfterSequence: first.Sequence, Limit: 100));
        Assert.Equal(expected["a_b"], rest.Select(r => r.Trace.Id).Prepend(first.Trace.Id));
        Assert.Equal([expected["a_b"][1]], (await outbox.ListAsync(new TraceListQuery(DatasetId: "a_b", Action: TraceUserAction.UseDatasets))).Select(r => r.Trace.Id));
        foreach (var status in new[] { TraceStatus.Waiting, TraceStatus.Submitted })
        {
            var inStatus = (await outbox.ListAsync(new TraceListQuery(Status: status, Limit: 10_000))).Select(r => r.Trace.Id).ToHashSet();
            Assert.Equal(expected["a_b"].Where(inStatus.Contains), (await outbox.ListAsync(new TraceListQuery(Status: status, DatasetId: "a_b"))).Select(r => r.Trace.Id));
        }
    }

    /// <summary>
    /// The same answers while traces move from waiting into batches (where they join the index) and back: some traces
    /// batched, one batch failed and put back to waiting (so its traces are both indexed and waiting), the rest waiting.
    /// Pages of one trace walk every id, so that rows the waiting side matches only loosely ("a" in "a|b") force a refill.
    /// </summary>
    public static async Task AssertExactWhileBatchingAsync(TraceOutbox outbox, Dictionary<string, List<Guid>> expected)
    {
        var failed = await outbox.Batches.CreateBatchAsync(7, default);
        Assert.NotNull(failed);
        Assert.NotNull(await outbox.Batches.CreateBatchAsync(13, default));
        await outbox.Batches.MarkFailedAsync(failed.Value, "refused", default);
        Assert.Equal(7, await outbox.RetryFailedAsync());
        var counts = await outbox.CountAsync();
        Assert.True(counts.Waiting > 7 && counts.Submitted == 13, $"{counts}");

        await AssertExactAsync(outbox, expected);
        foreach (var (id, traces) in expected)
        {
            var walked = new List<Guid>();
            long after = 0;
            while (await outbox.ListAsync(new TraceListQuery(DatasetId: id, AfterSequence: after, Limit: 1)) is [var one])
            {
                walked.Add(one.Trace.Id);
                after = one.Sequence;
            }

            Assert.True(traces.SequenceEqual(walked), $"dataset '{id}': paged one by one, found {walked.Count} of {traces.Count}");
        }

    }
}
