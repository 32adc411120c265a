using System.Threading.Channels;

namespace ImagingRepo.Inference.Runtime;

/// <summary>A fixed set of sessions handed out one run at a time; callers wait (cancellably) for a free one.</summary>
internal sealed class SessionPool : IDisposable
{
    private readonly SessionLane[] _lanes;
    private readonly Channel<SessionLane> _free;

    public SessionPool(IReadOnlyList<SessionLane> lanes)
    {
        _lanes = [.. lanes];
        _free = Channel.CreateUnbounded<SessionLane>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
        foreach (var lane in _lanes)
        {
            _free.Writer.TryWrite(lane);
        }
    }

    public int Count => _lanes.Length;

    public IReadOnlyList<SessionLane> Lanes => _lanes;

    public async ValueTask<Lease> RentAsync(CancellationToken cancellationToken)
    {
        var lane = await _free.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new Lease(this, lane);
    }

    public void Dispose()
    {
        _free.Writer.TryComplete();
        foreach (var lane in _lanes)
        {
            lane.Dispose();
        }
    }

    /// <summary>A rented session, returned on dispose.</summary>
    internal readonly struct Lease(SessionPool pool, SessionLane lane) : IDisposable
    {
        public SessionLane Lane => lane;

        public void Dispose() => pool._free.Writer.TryWrite(lane);
    }
}
