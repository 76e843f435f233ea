using System.Threading.Channels;
using CbbToolkit.Ipsec.Resolution.Caching;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Tests.Resolution;

/// <summary>
/// An in-memory stand-in for the kernel's SAD/SPD and its multicast events, for unit tests of the cache and the latch
/// database (the real kernel is exercised by the *KernelTests). Changes update the tables and queue the event the
/// kernel would send.
/// </summary>
internal sealed class FakeXfrmSource : IXfrmCacheSource
{
    private readonly Lock _lock = new();
    private readonly List<XfrmState> _states = [];
    private readonly List<XfrmPolicy> _policies = [];
    private readonly Channel<object> _events = Channel.CreateUnbounded<object>();
    private int _dumps;
    private int _monitors;

    public int Dumps => Volatile.Read(ref _dumps);

    public int Monitors => Volatile.Read(ref _monitors);

    /// <summary>When set, dumps fail with it.</summary>
    public IpsecException? DumpFailure { get; set; }

    public void AddState(XfrmState state)
    {
        lock (_lock)
        {
            _states.Add(state);
        }

        _events.Writer.TryWrite(new XfrmStateEvent(XfrmChange.Added, state));
    }

    public void DeleteState(XfrmState state, bool asHardExpire = false)
    {
        lock (_lock)
        {
            _states.RemoveAll(s => s.Spi == state.Spi && s.Destination.Equals(state.Destination));
        }

        _events.Writer.TryWrite(asHardExpire ? new XfrmExpireEvent(state, IsHard: true) : new XfrmStateEvent(XfrmChange.Deleted, state));
    }

    public void AddPolicy(XfrmPolicy policy)
    {
        lock (_lock)
        {
            _policies.Add(policy);
        }

        _events.Writer.TryWrite(new XfrmPolicyEvent(XfrmChange.Added, policy));
    }

    public void DeletePolicy(XfrmPolicy policy)
    {
        lock (_lock)
        {
            _policies.RemoveAll(p => p.Index == policy.Index);
        }

        _events.Writer.TryWrite(new XfrmPolicyEvent(XfrmChange.Deleted, policy));
    }

    /// <summary>Changes the tables without an event (what the cache misses when events are dropped).</summary>
    public void AddStateSilently(XfrmState state)
    {
        lock (_lock)
        {
            _states.Add(state);
        }
    }

    public void FlushStates()
    {
        lock (_lock)
        {
            _states.Clear();
        }

        _events.Writer.TryWrite(new XfrmFlushEvent(false, XfrmProtocol.Any));
    }

    /// <summary>The kernel reports that events were dropped (ENOBUFS).</summary>
    public void Overrun() =>
        _events.Writer.TryWrite(new IpsecException(IpsecError.NoBufferSpace, "The kernel reported a netlink overrun: XFRM events were lost."));

    public IXfrmEventReader OpenMonitor()
    {
        Interlocked.Increment(ref _monitors);
        return new Reader(_events.Reader);
    }

    public Task<IReadOnlyList<XfrmState>> ListStatesAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _dumps);
        if (DumpFailure is { } failure)
        {
            return Task.FromException<IReadOnlyList<XfrmState>>(failure);
        }

        lock (_lock)
        {
            // Newest first, as the kernel dumps (it puts every SA it inserts at the head of its list).
            return Task.FromResult<IReadOnlyList<XfrmState>>([.. Enumerable.Reverse(_states)]);
        }
    }

    public Task<IReadOnlyList<XfrmPolicy>> ListPoliciesAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<XfrmPolicy>>([.. _policies]);
        }
    }

    public void Dispose() => _events.Writer.TryComplete();

    private sealed class Reader(ChannelReader<object> events) : IXfrmEventReader
    {
        public async ValueTask<XfrmEvent> ReadAsync(CancellationToken cancellationToken)
        {
            var item = await events.ReadAsync(cancellationToken);
            return item is Exception e ? throw e : (XfrmEvent)item;
        }

        public void Dispose()
        {
        }
    }
}
