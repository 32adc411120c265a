using System.Data.Common;
using System.Diagnostics.Metrics;
using System.Threading.Channels;

namespace ImagingRepo.Tracing.Outbox;

/// <summary>
/// The outbox's single writer: every write is queued here, and one loop commits whatever is pending in one transaction
/// (group commit), so many concurrent callers share each disk flush. A caller's task completes only after the commit
/// that holds its write.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private static readonly Meter Meter = new("ImagingRepo.Tracing");
    private static readonly Counter<long> Recorded = Meter.CreateCounter<long>("imagingrepo.tracing.recorded", description: "Traces committed to the outbox");
    private static readonly Histogram<int> GroupSizes = Meter.CreateHistogram<int>("imagingrepo.tracing.group_size", description: "Writes per outbox commit");

    private const int MaxRowsPerInsert = 256;

    private readonly Channel<WriteOp> _writes = Channel.CreateUnbounded<WriteOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly DbConnection _connection;
    private readonly int _maxGroupSize;
    private readonly Action _committed;
    private readonly Task _loop;

    /// <summary>Starts the loop on <paramref name="connection"/>, which the writer owns from now on.</summary>
    /// <param name="connection">The open connection all writes go through.</param>
    /// <param name="maxGroupSize">Most writes committed in one transaction.</param>
    /// <param name="committed">Called after a commit that stored traces (the dispatcher wakes up on it).</param>
    public GroupCommitWriter(DbConnection connection, int maxGroupSize, Action committed)
    {
        _connection = connection;
        _maxGroupSize = maxGroupSize;
        _committed = committed;
        _loop = Task.Run(LoopAsync, CancellationToken.None);
    }

    /// <summary>Queues a write that runs in the next group's transaction and returns its result after the commit.</summary>
    public async Task<T> EnqueueAsync<T>(Func<WriteContext, Task<T>> write, CancellationToken cancellationToken)
    {
        var op = new DelegateOp<T>(write);
        if (!_writes.Writer.TryWrite(op)) throw new ObjectDisposedException(nameof(TraceOutbox));
        return await op.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues the recording of a trace; completes after the commit (or fails for a different trace under the same id).</summary>
    public Task RecordAsync(RecordOp op, CancellationToken cancellationToken)
    {
        if (!_writes.Writer.TryWrite(op)) throw new ObjectDisposedException(nameof(TraceOutbox));
        return cancellationToken.CanBeCanceled ? op.Completion.Task.WaitAsync(cancellationToken) : op.Completion.Task;
    }

    /// <summary>Commits what is queued, stops the loop and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task LoopAsync()
    {
        var group = new List<WriteOp>(_maxGroupSize);
        var reader = _writes.Reader;
        var previous = 0;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            while (group.Count < _maxGroupSize && reader.TryRead(out var op)) group.Add(op);
            if (group.Count < previous / 2)
            {
                // The callers released by the last commit are still on their way back: let the queued
                // continuations run once so that they share this commit instead of waiting for the next.
                await Task.Yield();
                while (group.Count < _maxGroupSize && reader.TryRead(out var op)) group.Add(op);
            }

            if (group.Count == 0) continue;
            previous = group.Count;
            await CommitGroupAsync(group).ConfigureAwait(false);
        }
    }

    private async Task CommitGroupAsync(List<WriteOp> group)
    {
        var recorded = 0;
        try
        {
            var transaction = await _connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // The group's prepared statements are released before the commit.
                using (var ctx = new WriteContext(_connection, transaction))
                {
                    for (var i = 0; i < group.Count;)
                    {
                        if (group[i] is RecordOp)
                        {
                            // A run of recordings shares one prepared insert.
                            var run = new List<RecordOp>();
                            while (i < group.Count && run.Count < MaxRowsPerInsert && group[i] is RecordOp r)
                            {
                                run.Add(r);
                                i++;
                            }

                            await ctx.InsertAsync(run).ConfigureAwait(false);
                            recorded += run.Count;
                            continue;
                        }

                        await group[i].ExecuteAsync(ctx).ConfigureAwait(false);
                        i++;
                    }
                }

                await transaction.CommitAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or FormatException or ArgumentException)
        {
            foreach (var op in group) op.Fail(e);
            return;
        }

        GroupSizes.Record(group.Count);
        if (recorded > 0) Recorded.Add(recorded);
        foreach (var op in group) op.Complete();
        if (recorded > 0) _committed();
    }

    /// <summary>A queued write.</summary>
    internal abstract class WriteOp
    {
        /// <summary>An error for this caller only, set while the group runs (the others still commit).</summary>
        public Exception? Result { get; set; }

        public abstract Task ExecuteAsync(WriteContext ctx);

        public abstract void Complete();

        public abstract void Fail(Exception e);
    }

    /// <summary>A queued write with a result.</summary>
    internal abstract class WriteOp<T> : WriteOp
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected T Value { get; set; } = default!;

        public override void Complete()
        {
            if (Result is not null) Completion.TrySetException(Result);
            else Completion.TrySetResult(Value);
        }

        public override void Fail(Exception e) => Completion.TrySetException(e);
    }

    private sealed class DelegateOp<T>(Func<WriteContext, Task<T>> action) : WriteOp<T>
    {
        public override async Task ExecuteAsync(WriteContext ctx) => Value = await action(ctx).ConfigureAwait(false);
    }
}

/// <summary>The recording of one trace: validated, serialized and hashed before it is queued.</summary>
internal sealed class RecordOp(Model.Trace trace, byte[] json, byte[] leaf, long recordedAt) : GroupCommitWriter.WriteOp<bool>
{
    public Model.Trace Trace { get; } = trace;

    public byte[] Json { get; } = json;

    public byte[] Leaf { get; } = leaf;

    public long RecordedAt { get; } = recordedAt;

    public override Task ExecuteAsync(WriteContext ctx) => ctx.InsertAsync([this]);
}
