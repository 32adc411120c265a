using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Tracing.Tests.Ledgers;

public sealed class FileTraceLedgerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static LedgerBatch Batch(byte seed, params Guid[] ids) =>
        new(Enumerable.Repeat(seed, 32).ToArray(), ids.Select(id => new LedgerEntry(id, TraceUserAction.UseDatasets, ["ds-" + seed])).ToArray());

    private async Task<string> WriteThreeAsync()
    {
        var path = _temp.File("ledger.jsonl");
        using var ledger = await FileTraceLedger.OpenAsync(path);
        for (byte i = 1; i <= 3; i++)
        {
            var batch = Batch(i, Guid.NewGuid(), Guid.NewGuid());
            await ledger.SendAsync(await ledger.PrepareAsync(batch));
        }

        return path;
    }

    [Fact]
    public async Task Anchors_finds_queries_and_ignores_a_resent_ticket()
    {
        var path = _temp.File("ledger.jsonl");
        using var ledger = await FileTraceLedger.OpenAsync(path);
        var id = Guid.NewGuid();
        var batch = Batch(9, id, Guid.NewGuid());
        var ticket = await ledger.PrepareAsync(batch);
        await ledger.SendAsync(ticket);
        await ledger.SendAsync(ticket);
        Assert.Equal(1, ledger.Count);
        var anchor = await ledger.GetAnchorAsync(batch, ticket);
        Assert.NotNull(anchor);
        Assert.Equal(2, anchor.Count);
        var found = await ledger.QueryAsync(new LedgerQuery(DatasetId: "ds-9")).ToListAsync();
        Assert.Equal(2, found.Count);
        Assert.Single(await ledger.QueryAsync(new LedgerQuery(TraceId: id)).ToListAsync());
        Assert.Empty(await ledger.QueryAsync(new LedgerQuery(Action: TraceUserAction.CreateDataset)).ToListAsync());

        var duplicate = Batch(10, id);
        var e = await Assert.ThrowsAsync<LedgerException>(async () => await ledger.SendAsync(await ledger.PrepareAsync(duplicate)));
        Assert.False(e.IsTransient);

        using var reopened = await FileTraceLedger.OpenAsync(_temp.File("ledger.jsonl"));
        Assert.Equal(ledger.HeadHash, reopened.HeadHash);
        Assert.True((await FileTraceLedger.VerifyChainAsync(path, ledger.HeadHash)).IsIntact);
    }

    [Fact]
    public async Task Detects_an_edited_record()
    {
        var path = await WriteThreeAsync();
        var lines = await File.ReadAllLinesAsync(path);
        lines[1] = lines[1].Replace("\"ds", "\"xx", StringComparison.Ordinal).Replace("UseDatasets", "CreateDataset", StringComparison.Ordinal);
        lines[1] = lines[1].Replace("USE_DATASETS", "CREATE_DATASET", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(path, lines);
        var report = await FileTraceLedger.VerifyChainAsync(path);
        Assert.False(report.IsIntact);
        Assert.Contains(report.Problems, p => p.Contains("line 2", StringComparison.Ordinal) && p.Contains("edited", StringComparison.Ordinal));
        await Assert.ThrowsAsync<LedgerTamperedException>(() => FileTraceLedger.OpenAsync(path));
    }

    [Fact]
    public async Task Detects_a_deleted_record()
    {
        var path = await WriteThreeAsync();
        var lines = (await File.ReadAllLinesAsync(path)).ToList();
        lines.RemoveAt(1);
        await File.WriteAllLinesAsync(path, lines);
        var report = await FileTraceLedger.VerifyChainAsync(path);
        Assert.False(report.IsIntact);
        Assert.Contains(report.Problems, p => p.Contains("deleted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Detects_reordered_records()
    {
        var path = await WriteThreeAsync();
        var lines = await File.ReadAllLinesAsync(path);
        (lines[1], lines[2]) = (lines[2], lines[1]);
        await File.WriteAllLinesAsync(path, lines);
        Assert.False((await FileTraceLedger.VerifyChainAsync(path)).IsIntact);
    }

    [Fact]
    public async Task Detects_removal_of_the_newest_record_against_a_kept_head_hash()
    {
        var path = await WriteThreeAsync();
        var head = (await FileTraceLedger.VerifyChainAsync(path)).HeadHash;
        var lines = await File.ReadAllLinesAsync(path);
        await File.WriteAllLinesAsync(path, lines[..2]);
        Assert.True((await FileTraceLedger.VerifyChainAsync(path)).IsIntact); // undetectable without the head
        Assert.False((await FileTraceLedger.VerifyChainAsync(path, head)).IsIntact);
    }

    [Fact]
    public async Task A_torn_last_line_from_a_crash_is_dropped_on_open()
    {
        var path = await WriteThreeAsync();
        await File.AppendAllTextAsync(path, "{\"hash\":\"abc\",\"bo");
        using var ledger = await FileTraceLedger.OpenAsync(path);
        Assert.Equal(3, ledger.Count);
        Assert.True((await FileTraceLedger.VerifyChainAsync(path)).IsIntact);
    }
}
