using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Tests.Resolution;
using CbbToolkit.Ipsec.Xfrm;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CbbToolkit.Ipsec.Tests.Resolution.XfrmSets;

namespace CbbToolkit.Ipsec.Tests.Latching;

/// <summary>
/// The rekey grace period (IpsecLatchDatabaseOptions.RekeyGracePeriod) on a fake clock: a held BROKEN verdict is
/// withdrawn by a congruent successor within the period and given when the period ends; it never covers an incongruent
/// SA, another peer or a policy that no longer requires SAs. The kernel is in memory; the UML lab runs charon's rekeys.
/// </summary>
public sealed class RekeyGracePeriodTests : IAsyncDisposable
{
    private const string Local = "192.0.2.1";
    private const string Remote = "192.0.2.2";
    private static readonly IpsecFlow Tcp = Flow(Local, 40000, Remote, 443);
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(500);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _time = new();
    private readonly FakeXfrmSource _kernel = new();
    private readonly FakePeerSource _peers = new();
    private readonly XfrmStateCache _cache;
    private readonly IpsecChannelResolver _resolver;
    private readonly IpsecLatchDatabase _db;
    private readonly List<IpsecLatchAlert> _alerts = [];
    private readonly XfrmState _out = Sa(Local, Remote, 0x100);
    private readonly XfrmState _in = Sa(Remote, Local, 0x200);

    public RekeyGracePeriodTests()
    {
        foreach (var p in TransportPolicies(Local, Remote))
        {
            _kernel.AddPolicy(p);
        }

        _kernel.AddState(_out);
        _kernel.AddState(_in);
        _peers.Set(1, 0x200, 0x100, FakePeerSource.Peer("b.test"));
        _cache = XfrmStateCache.StartWith(_kernel);
        _resolver = new IpsecChannelResolver(_cache, _peers);
        _db = NewDatabase(Grace);
        _db.Alert += (_, a) =>
        {
            lock (_alerts)
            {
                _alerts.Add(a);
            }
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        await _cache.DisposeAsync();
    }

    [Fact]
    public async Task SasDeletedWithoutReplacement_EstablishedDuringTheGrace_BrokenWhenItEnds()
    {
        var latch = await LatchAsync();
        await using var alerts = _db.ReadAlertsAsync(Ct).GetAsyncEnumerator(Ct);

        await ChangeKernelAsync(() => _kernel.DeleteState(_out), () => _kernel.DeleteState(_in));
        await EvaluateAsync();
        Assert.Equal(IpsecLatchState.Established, _db.Inquire(latch).State);
        _time.Advance(Grace - TimeSpan.FromMilliseconds(1));
        await EvaluateAsync();
        Assert.Equal(IpsecLatchState.Established, _db.Inquire(latch).State);

        _time.Advance(TimeSpan.FromMilliseconds(1)); // the grace timer wakes the worker: no further kernel event needed

        var broken = await NextAlertAsync(alerts);
        Assert.Equal((IpsecLatchState.Established, IpsecLatchState.Broken), (broken.PreviousState, broken.State));
        Assert.Contains("PolicyWithoutSa", broken.Reason, StringComparison.Ordinal);
        Assert.Contains("no congruent SA came within 500 ms", broken.Reason, StringComparison.Ordinal);
        Assert.Equal(IpsecError.LatchBroken, Assert.Throws<IpsecException>(() => _db.EnsureEstablished(latch)).Error);
    }

    [Fact]
    public async Task IncongruentReplacement_BrokenAtOnce_WithoutWaitingForTheGrace()
    {
        var latch = await LatchAsync();

        // Outbound replaced by an SA with another key size: the kernel would send on it at once.
        var other = Sa(Local, Remote, 0x101, addTime: 1_700_000_500) with { Aead = new XfrmAeadAlgorithm("rfc4106(gcm(aes))", new XfrmKey(new byte[36]), 128) };
        await ChangeKernelAsync(() => _kernel.DeleteState(_out), () => _kernel.AddState(other));
        await EvaluateAsync();

        var info = _db.Inquire(latch);
        Assert.Equal(IpsecLatchState.Broken, info.State);
        Assert.Contains("incongruent", info.Reason, StringComparison.Ordinal);
        Assert.Equal(IpsecLatchState.Broken, Assert.Single(AlertsSoFar()).State);
    }

    [Fact]
    public async Task CongruentMakeBeforeBreak_OfOneSecond_NoAlert_SpisMove()
    {
        // charon's rekey on the initiator, as measured in UML: new inbound, new outbound, old outbound deleted; the old
        // inbound stays some seconds. All four SAs carry the same add time (the kernel counts seconds).
        var latch = await LatchAsync();
        _peers.Set(1, 0x201, 0x101, FakePeerSource.Peer("b.test"));

        await ChangeKernelAsync(
            () => _kernel.AddState(Sa(Remote, Local, 0x201)),
            () => _kernel.AddState(Sa(Local, Remote, 0x101)),
            () => _kernel.DeleteState(_out));
        await EvaluateAsync();
        Assert.Equal((0x101u, 0x201u), Spis(latch));
        await ChangeKernelAsync(() => _kernel.DeleteState(_in));
        _time.Advance(Grace * 2);
        await EvaluateAsync();

        Assert.Equal(IpsecLatchState.Established, _db.Inquire(latch).State);
        Assert.Equal((0x101u, 0x201u), Spis(latch));
        await AssertNoAlertBeforeDisposeAsync();
    }

    [Fact]
    public async Task CongruentBreakBeforeMake_WithinTheGrace_NoAlert_SpisMove()
    {
        var latch = await LatchAsync();
        _peers.Set(1, 0x201, 0x101, FakePeerSource.Peer("b.test"));

        await ChangeKernelAsync(() => _kernel.DeleteState(_out), () => _kernel.DeleteState(_in));
        await EvaluateAsync();
        _time.Advance(Grace - TimeSpan.FromMilliseconds(100));
        await ChangeKernelAsync(
            () => _kernel.AddState(Sa(Remote, Local, 0x201, addTime: 1_700_000_001)),
            () => _kernel.AddState(Sa(Local, Remote, 0x101, addTime: 1_700_000_001)));
        await EvaluateAsync();
        _time.Advance(Grace * 2); // past where the held verdict would have been due
        await EvaluateAsync();

        Assert.Equal(IpsecLatchState.Established, _db.Inquire(latch).State);
        Assert.Equal((0x101u, 0x201u), Spis(latch));
        await AssertNoAlertBeforeDisposeAsync();
    }

    [Fact]
    public async Task BreakBeforeMake_ToAnotherPeersSas_Broken()
    {
        var latch = await LatchAsync();
        _peers.Set(1, 0x201, 0x101, FakePeerSource.Peer("mallory.test"));

        await ChangeKernelAsync(() => _kernel.DeleteState(_out), () => _kernel.DeleteState(_in));
        await ChangeKernelAsync(
            () => _kernel.AddState(Sa(Remote, Local, 0x201, addTime: 1_700_000_001)),
            () => _kernel.AddState(Sa(Local, Remote, 0x101, addTime: 1_700_000_001)));
        await EvaluateAsync();

        var info = _db.Inquire(latch);
        Assert.Equal(IpsecLatchState.Broken, info.State);
        Assert.Contains("mallory.test", info.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuccessorAfterTheGrace_BrokenThenEstablishedAgain()
    {
        var latch = await LatchAsync();
        await using var alerts = _db.ReadAlertsAsync(Ct).GetAsyncEnumerator(Ct);
        _peers.Set(1, 0x201, 0x101, FakePeerSource.Peer("b.test"));

        await ChangeKernelAsync(() => _kernel.DeleteState(_out), () => _kernel.DeleteState(_in));
        await EvaluateAsync();
        _time.Advance(Grace);
        Assert.Equal(IpsecLatchState.Broken, (await NextAlertAsync(alerts)).State);
        await ChangeKernelAsync(
            () => _kernel.AddState(Sa(Remote, Local, 0x201, addTime: 1_700_000_001)),
            () => _kernel.AddState(Sa(Local, Remote, 0x101, addTime: 1_700_000_001)));

        var back = await NextAlertAsync(alerts);
        Assert.Equal((IpsecLatchState.Broken, IpsecLatchState.Established), (back.PreviousState, back.State));
        Assert.Equal((0x101u, 0x201u), Spis(latch));
    }

    [Fact]
    public async Task PolicyRemoved_BrokenAtOnce_TheGraceIsOnlyForMissingSas()
    {
        var latch = await LatchAsync();
        var outPolicy = _cache.GetPolicies().Single(p => p.Direction == XfrmPolicyDirection.Out);

        await ChangeKernelAsync(() => _kernel.DeletePolicy(outPolicy)); // the flow would now leave in clear
        await EvaluateAsync();

        Assert.Equal(IpsecLatchState.Broken, _db.Inquire(latch).State);
        Assert.Contains("NoPolicy", _db.Inquire(latch).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ZeroGrace_BrokenAtOnce()
    {
        await using var db = NewDatabase(TimeSpan.Zero);
        var latch = db.CreateConnectionLatch(await ChannelAsync());

        await ChangeKernelAsync(() => _kernel.DeleteState(_in));
        await db.EvaluateNowAsync();

        Assert.Equal(IpsecLatchState.Broken, db.Inquire(latch).State);
    }

    [Fact]
    public async Task ReleasedWhileHeld_NoAlertLater()
    {
        var latch = await LatchAsync();
        await ChangeKernelAsync(() => _kernel.DeleteState(_in));
        await EvaluateAsync();

        Assert.True(_db.Release(latch));
        _time.Advance(Grace * 2);
        await EvaluateAsync();

        await AssertNoAlertBeforeDisposeAsync(expectedClosed: 0);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(5001)]
    public void GraceOutOfRange_Rejected(int milliseconds)
    {
        var e = Assert.Throws<OptionsValidationException>(() => NewDatabase(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.Contains("RekeyGracePeriod must be zero to 00:00:05", Assert.Single(e.Failures), StringComparison.Ordinal);
    }

    // Bounded: a verification that waits on the fake clock would otherwise hang a failing test.
    private Task EvaluateAsync() => _db.EvaluateNowAsync().WaitAsync(TimeSpan.FromSeconds(10), Ct);

    private IpsecLatchDatabase NewDatabase(TimeSpan grace) => new(_resolver,
        new IpsecLatchDatabaseOptions { RekeyGracePeriod = grace, PeerVerificationAttempts = 2, PeerVerificationRetryDelay = TimeSpan.FromMilliseconds(100) },
        timeProvider: _time);

    private async Task<IpsecChannel> ChannelAsync()
    {
        await _cache.FirstLoad;
        return (await _resolver.ResolveAsync(Tcp, cancellationToken: Ct)).GetChannelOrThrow();
    }

    private async Task<IpsecLatchHandle> LatchAsync() => _db.CreateConnectionLatch(await ChannelAsync(), peerId: "b.test");

    private (uint Out, uint In) Spis(IpsecLatchHandle latch)
    {
        var channel = _db.Inquire(latch).Parameters!.Channel;
        return (channel.Outbound.Spi, channel.Inbound.Spi);
    }

    /// <summary>
    /// Makes the changes, then waits (event-driven, no polling) until the cache holds what the kernel holds: the kernel's
    /// events are applied in order, so this is after the last change (and after the set-up's own events).
    /// </summary>
    private async Task ChangeKernelAsync(params Action[] changes)
    {
        foreach (var change in changes)
        {
            change();
        }

        var states = (await _kernel.ListStatesAsync(Ct)).Select(s => s.Spi).Order().ToArray();
        var policies = (await _kernel.ListPoliciesAsync(Ct)).Select(p => p.Index).Order().ToArray();
        bool Mirrored() => _cache.GetStates().Select(s => s.Spi).Order().SequenceEqual(states)
                           && _cache.GetPolicies().Select(p => p.Index).Order().SequenceEqual(policies);

        var mirrored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(object? sender, XfrmStateCacheChangedEventArgs e)
        {
            if (Mirrored())
            {
                mirrored.TrySetResult();
            }
        }

        _cache.Changed += OnChanged;
        try
        {
            await _cache.FirstLoad;
            if (!Mirrored())
            {
                await mirrored.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
            }
        }
        finally
        {
            _cache.Changed -= OnChanged;
        }
    }

    private IpsecLatchAlert[] AlertsSoFar()
    {
        lock (_alerts)
        {
            return [.. _alerts];
        }
    }

    // Disposing waits for the worker and closes every latch: alerts raised before it are all in the list by then.
    private async Task AssertNoAlertBeforeDisposeAsync(int expectedClosed = 1)
    {
        await _db.DisposeAsync();
        var alerts = AlertsSoFar();
        Assert.All(alerts, a => Assert.Equal((IpsecLatchState.Established, IpsecLatchState.Closed), (a.PreviousState, a.State)));
        Assert.Equal(expectedClosed, alerts.Length);
    }

    private static async Task<IpsecLatchAlert> NextAlertAsync(IAsyncEnumerator<IpsecLatchAlert> alerts)
    {
        var next = alerts.MoveNextAsync().AsTask();
        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(10), Ct), "the alert stream ended");
        return alerts.Current;
    }
}
