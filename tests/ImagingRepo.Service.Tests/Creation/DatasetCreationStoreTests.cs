using ImagingRepo.Service.Creation;
using ImagingRepo.Service.Creation.Metadata;
using ImagingRepo.Service.Creation.Operations;
using ImagingRepo.TestSupport;
using ImagingRepo.Tracing.Model;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ImagingRepo.Service.Tests.Creation;

/// <summary>The operation store's contract, run against SQLite and PostgreSQL alike.</summary>
public abstract class DatasetCreationStoreTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>A new, empty, initialized store.</summary>
    protected abstract Task<IDatasetCreationStore> NewStoreAsync();

    [SkippableFact]
    public async Task A_queued_operation_is_pending_once_per_dataset()
    {
        var store = await NewStoreAsync();
        var request = Request();

        Assert.True(await store.EnqueueAsync(request));
        Assert.False(await store.EnqueueAsync(request with { AuthorId = "someone else" }));

        var state = await store.GetAsync(request.DatasetId);
        Assert.NotNull(state);
        Assert.Equal(DatasetCreationStatus.Pending, state.Status);
        Assert.Equal("Waiting to start...", state.LastMessage);
        Assert.Equal(0, state.Attempts);
        Assert.Null(state.Result);
        Assert.Equal(Time.GetUtcNow(), state.CreatedAt);
        Assert.Null(await store.GetAsync(Guid.NewGuid().ToString()));
    }

    [SkippableFact]
    public async Task Each_operation_is_claimed_by_exactly_one_of_several_concurrent_workers()
    {
        var store = await NewStoreAsync();
        var ids = new List<string>();
        for (var i = 0; i < 24; i++)
        {
            var request = Request();
            ids.Add(request.DatasetId);
            await store.EnqueueAsync(request);
            Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var mine = new List<ClaimedCreation>();
            while (await store.ClaimNextAsync("worker-" + w, Lease) is { } claim) mine.Add(claim);
            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(ids.Order(), all.Select(c => c.DatasetId).Order());
        Assert.All(all, c => Assert.Equal(1, c.Attempts));
        foreach (var claim in all)
        {
            var state = await store.GetAsync(claim.DatasetId);
            Assert.Equal(DatasetCreationStatus.Running, state!.Status);
            Assert.Equal("Starting...", state.LastMessage);
        }
    }

    [SkippableFact]
    public async Task A_claim_that_is_not_renewed_lapses_and_its_old_owner_can_change_nothing()
    {
        var store = await NewStoreAsync();
        var request = Request();
        await store.EnqueueAsync(request);
        var first = (await store.ClaimNextAsync("first", Lease))!;
        Assert.Equal((request.DatasetId, request.AuthorId, "u/SUBJ/st"), (first.Request.DatasetId, first.Request.AuthorId, first.Request.Studies[0].PathInDatalake));
        Assert.Null(await store.ClaimNextAsync("second", Lease));

        Time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Equal(LeaseState.Held, await store.RenewAsync(request.DatasetId, "first", Lease, "Reading (1/2)..."));
        Time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Null(await store.ClaimNextAsync("second", Lease));        // renewed: still held
        Assert.Equal("Reading (1/2)...", (await store.GetAsync(request.DatasetId))!.LastMessage);
        Time.Advance(TimeSpan.FromSeconds(2));

        var second = await store.ClaimNextAsync("second", Lease);        // lapsed: taken over

        Assert.NotNull(second);
        Assert.Equal(2, second.Attempts);
        Assert.Equal("Resuming after an interrupted run...", (await store.GetAsync(request.DatasetId))!.LastMessage);
        Assert.Equal(LeaseState.Lost, await store.RenewAsync(request.DatasetId, "first", Lease, "late"));
        Assert.False(await store.SaveResultAsync(request.DatasetId, "first", Result(request), Trace(request)));
        Assert.False(await store.CompleteAsync(request.DatasetId, "first", DatasetCreationStatus.Finished, "done"));
        Assert.False(await store.ReleaseAsync(request.DatasetId, "first", "bye"));
        Assert.Equal(DatasetCreationStatus.Running, (await store.GetAsync(request.DatasetId))!.Status);
        Assert.True(await store.CompleteAsync(request.DatasetId, "second", DatasetCreationStatus.Finished, "Dataset creation finished."));
        Assert.Equal(DatasetCreationStatus.Finished, (await store.GetAsync(request.DatasetId))!.Status);
    }

    [SkippableFact]
    public async Task The_result_and_its_trace_are_saved_once_and_given_to_whoever_resumes()
    {
        var store = await NewStoreAsync();
        var request = Request();
        await store.EnqueueAsync(request);
        await store.ClaimNextAsync("first", Lease);
        var result = Result(request);
        var trace = Trace(request);

        Assert.True(await store.SaveResultAsync(request.DatasetId, "first", result, trace));
        Assert.False(await store.SaveResultAsync(request.DatasetId, "first", result with { ImagesHash = Hash(9) }, trace));
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        var resumed = (await store.ClaimNextAsync("second", Lease))!;

        Assert.Equal(result.ImagesHash, resumed.Result!.ImagesHash);
        Assert.Equal(result.Metadata.Sex, resumed.Result.Metadata.Sex);
        Assert.Equal(result.Metadata.AgeLow, resumed.Result.Metadata.AgeLow);
        Assert.Equal(result.Studies[0].Metadata.StudyDate, resumed.Result.Studies[0].Metadata.StudyDate);
        Assert.Equal(TraceSerializer.Serialize(trace), TraceSerializer.Serialize(resumed.Trace!));
        Assert.Equal(trace.Id, (await store.GetAsync(request.DatasetId))!.TraceId);
    }

    [SkippableFact]
    public async Task Cancel_ends_a_pending_operation_and_asks_a_running_one_until_its_result_is_saved()
    {
        var store = await NewStoreAsync();
        var pending = Request();
        var running = Request();
        var saved = Request();
        await store.EnqueueAsync(pending);
        Time.Advance(TimeSpan.FromSeconds(1));
        await store.EnqueueAsync(running);
        Time.Advance(TimeSpan.FromSeconds(1));
        await store.EnqueueAsync(saved);

        Assert.Equal(CancelOutcome.Canceled, await store.CancelAsync(pending.DatasetId));
        await store.ClaimNextAsync("w", Lease);
        await store.ClaimNextAsync("w", Lease);
        await store.SaveResultAsync(saved.DatasetId, "w", Result(saved), Trace(saved));

        Assert.Equal(CancelOutcome.Requested, await store.CancelAsync(running.DatasetId));
        Assert.Equal(CancelOutcome.TooLate, await store.CancelAsync(saved.DatasetId));
        Assert.Equal(CancelOutcome.TooLate, await store.CancelAsync(pending.DatasetId));
        Assert.Equal(CancelOutcome.NotFound, await store.CancelAsync(Guid.NewGuid().ToString()));
        Assert.Equal(LeaseState.CancelRequested, await store.RenewAsync(running.DatasetId, "w", Lease, null));
        Assert.False(await store.SaveResultAsync(running.DatasetId, "w", Result(running), Trace(running))); // a cancel comes first
        var canceled = (await store.GetAsync(pending.DatasetId))!;
        Assert.Equal((DatasetCreationStatus.Error, "Canceled by user"), (canceled.Status, canceled.LastMessage));
        Assert.Equal("Canceling...", (await store.GetAsync(running.DatasetId))!.LastMessage);
    }

    [SkippableFact]
    public async Task Restart_queues_an_operation_in_error_again_and_release_gives_a_running_one_back()
    {
        var store = await NewStoreAsync();
        var request = Request();
        await store.EnqueueAsync(request);
        Assert.Equal(RestartOutcome.NotInError, await store.RestartAsync(request.DatasetId));
        await store.ClaimNextAsync("w", Lease);
        Assert.True(await store.ReleaseAsync(request.DatasetId, "w", "Waiting to resume (the service was stopped)..."));
        var released = (await store.GetAsync(request.DatasetId))!;
        Assert.Equal((DatasetCreationStatus.Pending, 0), (released.Status, released.Attempts));

        await store.ClaimNextAsync("w", Lease);
        await store.CompleteAsync(request.DatasetId, "w", DatasetCreationStatus.Error, new string('x', 600));
        var failed = (await store.GetAsync(request.DatasetId))!;
        Assert.Equal(DatasetCreationState.MaxMessageLength, failed.LastMessage.Length);

        Assert.Equal(RestartOutcome.Restarted, await store.RestartAsync(request.DatasetId));
        var restarted = (await store.GetAsync(request.DatasetId))!;
        Assert.Equal((DatasetCreationStatus.Pending, 0, "Waiting to restart..."), (restarted.Status, restarted.Attempts, restarted.LastMessage));
        Assert.Equal(RestartOutcome.NotFound, await store.RestartAsync(Guid.NewGuid().ToString()));
    }

    [SkippableFact]
    public async Task Only_an_operation_that_is_not_running_can_be_deleted()
    {
        var store = await NewStoreAsync();
        var request = Request();
        await store.EnqueueAsync(request);
        await store.ClaimNextAsync("w", Lease);

        Assert.False(await store.DeleteAsync(request.DatasetId));
        await store.CompleteAsync(request.DatasetId, "w", DatasetCreationStatus.Finished, "done");
        Assert.True(await store.DeleteAsync(request.DatasetId));
        Assert.Null(await store.GetAsync(request.DatasetId));
    }

    [SkippableFact]
    public async Task Initializing_again_or_at_the_same_time_changes_nothing()
    {
        var store = await NewStoreAsync();
        var request = Request();
        await store.EnqueueAsync(request);

        await Task.WhenAll(store.InitializeAsync(), store.InitializeAsync(), store.InitializeAsync());

        Assert.Equal(DatasetCreationStatus.Pending, (await store.GetAsync(request.DatasetId))!.Status);
    }

    internal static DatasetCreationRequest Request() => new()
    {
        DatasetId = Guid.NewGuid().ToString(),
        AuthorId = "author",
        Studies = [new SelectedStudy { StudyId = "s1", StudyName = "n", SubjectName = "SUBJ", PathInDatalake = "u/SUBJ/st", Series = [new SelectedSeries("se", ["t"])] }],
    };

    private static DatasetCreationResult Result(DatasetCreationRequest request) => new()
    {
        DatasetId = request.DatasetId,
        Metadata = new DatasetMetadata
        {
            StudiesCount = 1, SubjectsCount = 1, AgeLow = new PatientAge(3, AgeUnit.Months), AgeNullCount = 0,
            Sex = [new ValueCount("Male", 1)], Diagnosis = [], BodyPart = [], Modality = [new ValueCount("CT", 1)], Manufacturer = [],
            DiagnosisYearNullCount = 1, SeriesTags = ["t"], SizeInBytes = 10,
        },
        Studies =
        [
            new CreatedStudy
            {
                StudyId = "s1", SubjectName = "SUBJ", Path = "SUBJ/st", Metadata = new StudyMetadata { StudyDate = new DateOnly(2020, 2, 29) },
                Series = [new CreatedSeries("se", ["t"], new SeriesMetadata("CT", null, null), 1, 10)], SizeInBytes = 10, Hash = "AAAA",
            },
        ],
        PrunedSeries = [],
        IndexHash = Hash(1),
        ImagesHash = Hash(2),
        ClinicalDataHash = Hash(3),
    };

    private CreateDatasetTrace Trace(DatasetCreationRequest request) => new()
    {
        Id = Guid.NewGuid(),
        CallerId = "test",
        Timestamp = Time.GetUtcNow().ToUnixTimeMilliseconds(),
        UserId = "pseud:v1:" + new string('A', 43),
        DatasetId = request.DatasetId,
        TraceResources = [new TraceResource("images", Hash(2), TraceHashType.Sha3_256)],
    };

    private static string Hash(byte fill) => Convert.ToBase64String(Enumerable.Repeat(fill, 32).ToArray());
}

public sealed class SqliteDatasetCreationStoreTests : DatasetCreationStoreTests, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("imagingrepo-creation-store-");

    public void Dispose() => _folder.Delete(recursive: true);

    protected override async Task<IDatasetCreationStore> NewStoreAsync()
    {
        var store = new SqliteDatasetCreationStore(Path.Combine(_folder.FullName, Guid.NewGuid().ToString("N") + ".db"), Time);
        await store.InitializeAsync();
        return store;
    }
}

public sealed class PostgresDatasetCreationStoreTests(PostgresServer postgres) : DatasetCreationStoreTests, IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly List<PostgresDatasetCreationStore> _stores = [];

    protected override async Task<IDatasetCreationStore> NewStoreAsync()
    {
        postgres.Require();
        var store = new PostgresDatasetCreationStore(await CreationPostgres.NewSchemaAsync(postgres.ConnectionString), Time);
        _stores.Add(store);
        await store.InitializeAsync();
        return store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores) await store.DisposeAsync();
    }
}

/// <summary>A schema of its own per test in the shared PostgreSQL database.</summary>
internal static class CreationPostgres
{
    public static async Task<string> NewSchemaAsync(string connectionString)
    {
        var schema = "creation_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ToString();
    }
}
