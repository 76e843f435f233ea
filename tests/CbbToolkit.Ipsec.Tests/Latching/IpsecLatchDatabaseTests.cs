using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Tests.Resolution;
using CbbToolkit.Ipsec.Tests.Timing;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;
using static CbbToolkit.Ipsec.Tests.Resolution.XfrmSets;

namespace CbbToolkit.Ipsec.Tests.Latching;

/// <summary>
/// RFC 5660 latch transitions driven by cache changes (in-memory kernel; the real ESP ones run in the UML lab). The cache
/// and the database run on a fake clock: the rekey grace period, peer re-checks and the cache's retries pass only when a
/// test advances it, and tests wait on cache changes and on the database's own evaluation, never on time.
/// </summary>
public sealed class IpsecLatchDatabaseTests : IAsyncDisposable
{
    private const string Local = "192.0.2.1";
    private const string Remote = "192.0.2.2";
    private static readonly IpsecFlow Tcp = Flow(Local, 40000, Remote, 443);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan PeerRetry = TimeSpan.FromMilliseconds(10);

    private readonly ObservedTimeProvider _time = new();
    private readonly FakeXfrmSource _kernel = new();
    private readonly FakePeerSource _peers = new();
    private readonly XfrmStateCache _cache;
    private readonly IpsecChannelResolver _resolver;
    private readonly IpsecLatchDatabase _db;
    private readonly XfrmState _out = Sa(Local, Remote, 0x100);
    private readonly XfrmState _in = Sa(Remote, Local, 0x200);

    public IpsecLatchDatabaseTests()
    {
        foreach (var p in TransportPolicies(Local, Remote))
        {
            _kernel.AddPolicy(p);
        }

        _kernel.AddState(_out);
        _kernel.AddState(_in);
        _cache = XfrmStateCache.StartWith(_kernel, timeProvider: _time);
        _resolver = new IpsecChannelResolver(_cache, _peers);
        _db = new IpsecLatchDatabase(_resolver,
            new IpsecLatchDatabaseOptions { PeerVerificationAttempts = 2, PeerVerificationRetryDelay = PeerRetry, RekeyGracePeriod = Grace },
            timeProvider: _time);
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        await _cache.DisposeAsync();
    }

    private async Task<IpsecChannel> ChannelAsync()
    {
        await _cache.FirstLoad;
        await CacheChanges.UntilAsync(_cache, () => _resolver.ResolveKernel(Tcp).IsProtected, "initial SAs");
        return (await _resolver.ResolveAsync(Tcp, cancellationToken: Ct)).GetChannelOrThrow();
    }

    private async Task<IpsecLatchHandle> LatchAsync(bool withPeer = false)
    {
        if (withPeer)
        {
            _peers.Set(1, 0x200, 0x100, FakePeerSource.Peer("b.test"));
        }

        return _db.CreateConnectionLatch(await ChannelAsync());
    }

    private static async Task<IpsecLatchAlert> NextAlertAsync(IAsyncEnumerator<IpsecLatchAlert> alerts)
    {
        Assert.True(await alerts.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct)); // a guard against hanging
        return alerts.Current;
    }

    [Fact]
    public async Task Constructor_StartsNothing_FirstLatchOrStartAsyncDoes()
    {
        await using var lazy = new IpsecLatchDatabase(_resolver);
        await using var explicitly = new IpsecLatchDatabase(_resolver);
        var unused = new IpsecLatchDatabase(_resolver);
        Assert.False(lazy.IsStarted || explicitly.IsStarted || unused.IsStarted);

        lazy.CreateListenerLatch(new IPEndPoint(IPAddress.Any, 443), ProtocolType.Tcp);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => explicitly.StartAsync(new CancellationToken(canceled: true)));
        Assert.False(explicitly.IsStarted);
        await explicitly.StartAsync(Ct);
        await explicitly.StartAsync(Ct); // once; later calls do nothing

        Assert.True(lazy.IsStarted && explicitly.IsStarted);
        await unused.DisposeAsync(); // never started: nothing to stop
        await Assert.ThrowsAsync<ObjectDisposedException>(() => unused.StartAsync(Ct));
        Assert.Throws<ObjectDisposedException>(() => unused.CreateListenerLatch(new IPEndPoint(IPAddress.Any, 443), ProtocolType.Tcp));
        Assert.False(unused.IsStarted);
    }

    [Fact]
    public async Task StartedBeforeAnyLatch_LatchStillFollowsTheCache()
    {
        await using var db = new IpsecLatchDatabase(_resolver);
        await db.StartAsync(Ct);
        var handle = db.CreateConnectionLatch(await ChannelAsync());

        _kernel.DeleteState(_out);

        await Eventually.TrueAsync(() => db.Inquire(handle).State == IpsecLatchState.Broken, "the deletion broke the latch after the grace period");
    }

    [Fact]
    public async Task NewLatch_EstablishedWithTheChannelsParameters()
    {
        var handle = await LatchAsync(withPeer: true);

        var info = _db.Inquire(handle);

        Assert.Equal(IpsecLatchState.Established, info.State);
        Assert.Equal(Tcp, info.Flow);
        Assert.Equal(XfrmProtocol.Esp, info.Parameters!.Protocol);
        Assert.Equal(XfrmMode.Transport, info.Parameters.Mode);
        Assert.Equal(1u, info.Parameters.RequestId);
        Assert.Equal(["rfc4106(gcm(aes))"], info.Parameters.Algorithms);
        Assert.Equal("b.test", info.Parameters.PeerId);
        Assert.Equal("a.test", info.Parameters.LocalId);
        Assert.True(info.Parameters.IsQopIndeterminate);
        Assert.Same(handle, _db.Find(Tcp));
    }

    [Fact]
    public async Task CongruentRekey_StaysEstablished_AndMovesTheSpis()
    {
        var handle = await LatchAsync();
        var alerts = new List<IpsecLatchAlert>();
        _db.Alert += (_, a) => alerts.Add(a);

        _kernel.AddState(Sa(Local, Remote, 0x101, addTime: 1_700_000_500));
        _kernel.AddState(Sa(Remote, Local, 0x201, addTime: 1_700_000_500));
        await CacheChanges.UntilAsync(_cache, () => _cache.StateCount == 4, "rekeyed SAs seen");
        await _db.EvaluateNowAsync();
        Assert.Equal(0x101u, _db.Inquire(handle).Parameters!.Channel.Outbound.Spi);
        _kernel.DeleteState(_out);
        _kernel.DeleteState(_in);
        await CacheChanges.UntilAsync(_cache, () => _cache.StateCount == 2, "old SAs gone");
        await _db.EvaluateNowAsync();

        var info = _db.Inquire(handle);
        Assert.Equal(IpsecLatchState.Established, info.State);
        Assert.Equal((0x101u, 0x201u), (info.Parameters!.Channel.Outbound.Spi, info.Parameters.Channel.Inbound.Spi));
        Assert.NotNull(_db.EnsureEstablished(handle));
        Assert.Empty(alerts); // a congruent rekey changes no state
    }

    [Fact]
    public async Task IncongruentSa_Broken_WithAlert_AndOperationsFailWithEpipe()
    {
        var handle = await LatchAsync();
        await using var alerts = _db.ReadAlertsAsync(Ct).GetAsyncEnumerator(Ct);

        // A newer outbound SA with another key size now carries the flow.
        _kernel.AddState(Sa(Local, Remote, 0x102, addTime: 1_700_000_500) with { Aead = new XfrmAeadAlgorithm("rfc4106(gcm(aes))", new XfrmKey(new byte[36]), 128) });

        var alert = await NextAlertAsync(alerts);
        Assert.Same(handle, alert.Handle);
        Assert.Equal(Tcp, alert.Flow);
        Assert.Equal((IpsecLatchState.Established, IpsecLatchState.Broken), (alert.PreviousState, alert.State));
        Assert.Contains("incongruent", alert.Reason, StringComparison.Ordinal);
        Assert.Contains("algorithms", alert.Reason, StringComparison.Ordinal);
        Assert.Equal(IpsecError.LatchBroken, Assert.Throws<IpsecException>(() => _db.EnsureEstablished(handle)).Error);
        Assert.Equal(IpsecLatchState.Broken, _db.Inquire(handle).State);
    }

    [Fact]
    public async Task SaDeleted_Broken_ThenCongruentSaAgain_Established()
    {
        var handle = await LatchAsync();
        await using var alerts = _db.ReadAlertsAsync(Ct).GetAsyncEnumerator(Ct);

        _kernel.DeleteState(_in);
        await CacheChanges.UntilAsync(_cache, () => _cache.StateCount == 1, "SA deletion seen");
        await _db.EvaluateNowAsync();
        Assert.Equal(IpsecLatchState.Established, _db.Inquire(handle).State); // held for the rekey grace period
        _time.Advance(Grace);
        var broken = await NextAlertAsync(alerts);
        Assert.Equal(IpsecLatchState.Broken, broken.State);
        Assert.Contains("PolicyWithoutSa", broken.Reason, StringComparison.Ordinal);
        Assert.Contains("no congruent SA came within 500 ms", broken.Reason, StringComparison.Ordinal);

        _kernel.AddState(Sa(Remote, Local, 0x203, addTime: 1_700_000_600));
        var back = await NextAlertAsync(alerts);
        Assert.Equal((IpsecLatchState.Broken, IpsecLatchState.Established), (back.PreviousState, back.State));
        Assert.Equal(0x203u, _db.EnsureEstablished(handle).Channel.Inbound.Spi);
    }

    [Fact]
    public async Task PolicyDeleted_Broken()
    {
        var handle = await LatchAsync();

        _kernel.DeletePolicy(TransportPoliciesOf(_cache)[0]);

        await CacheChanges.UntilAsync(_cache, () => _cache.PolicyCount == 1, "policy deletion seen");
        await _db.EvaluateNowAsync();
        Assert.Equal(IpsecLatchState.Broken, _db.Inquire(handle).State); // at once: no grace without a policy requiring SAs
        Assert.Contains("NoPolicy", _db.Inquire(handle).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_ClosedForGood_OperationsFailWithEconnreset()
    {
        var handle = await LatchAsync();
        await using var alerts = _db.ReadAlertsAsync(Ct).GetAsyncEnumerator(Ct);

        _db.Close(handle, "administrator said so");

        var alert = await NextAlertAsync(alerts);
        Assert.Equal((IpsecLatchState.Established, IpsecLatchState.Closed), (alert.PreviousState, alert.State));
        Assert.Equal("administrator said so", alert.Reason);
        Assert.Equal(IpsecError.LatchClosed, Assert.Throws<IpsecException>(() => _db.EnsureEstablished(handle)).Error);
        _kernel.DeleteState(_out);
        await CacheChanges.UntilAsync(_cache, () => _cache.StateCount == 1, "SA deletion seen");
        await _db.EvaluateNowAsync();
        Assert.Equal(IpsecLatchState.Closed, _db.Inquire(handle).State);
    }

    [Fact]
    public async Task Release_ThenFindAndInquireSayNotConnected()
    {
        var handle = await LatchAsync(withPeer: true);
        Assert.Equal(2, _db.InternedIdCount);

        Assert.True(_db.Release(handle));

        Assert.False(_db.Release(handle));
        Assert.Equal(IpsecError.NotConnected, Assert.Throws<IpsecException>(() => _db.Find(Tcp)).Error);
        Assert.Equal(IpsecError.NotConnected, Assert.Throws<IpsecException>(() => _db.Inquire(handle)).Error);
        Assert.Equal(IpsecError.NotConnected, Assert.Throws<IpsecException>(() => _db.EnsureEstablished(handle)).Error);
        Assert.Equal(0, _db.Count);
        Assert.Equal(0, _db.InternedIdCount);
    }

    [Fact]
    public async Task SameFiveTupleTwice_AlreadyExists()
    {
        var channel = await ChannelAsync();
        _db.CreateConnectionLatch(channel);

        Assert.Equal(IpsecError.AlreadyExists, Assert.Throws<IpsecException>(() => _db.CreateConnectionLatch(channel)).Error);
    }

    [Fact]
    public async Task PeerIdsAreInterned_OneEntryPerDistinctId()
    {
        var channel = await ChannelAsync();
        _peers.Set(1, 0x200, 0x100, FakePeerSource.Peer("b.test"));
        var second = Flow(Local, 40001, Remote, 443);
        var one = _db.CreateConnectionLatch((await _resolver.ResolveAsync(Tcp, cancellationToken: Ct)).GetChannelOrThrow());
        var two = _db.CreateConnectionLatch((await _resolver.ResolveAsync(second, cancellationToken: Ct)).GetChannelOrThrow());

        Assert.Equal(2, _db.InternedIdCount); // "b.test" and "a.test", shared by both latches
        Assert.Same(_db.Inquire(one).Parameters!.PeerId, _db.Inquire(two).Parameters!.PeerId);
        _db.Release(one);
        Assert.Equal(2, _db.InternedIdCount);
        _db.Release(two);
        Assert.Equal(0, _db.InternedIdCount);
        Assert.NotNull(channel);
    }

    [Fact]
    public async Task QopNotMet_BlockedByPolicy()
    {
        var channel = await ChannelAsync();

        var e = Assert.Throws<IpsecException>(() => _db.CreateConnectionLatch(channel, new IpsecQop { AllowedAlgorithms = new HashSet<string> { "rfc7539esp(chacha20,poly1305)" } }));
        Assert.Equal(IpsecError.BlockedByPolicy, e.Error);
        Assert.Equal(IpsecError.BlockedByPolicy,
            Assert.Throws<IpsecException>(() => _db.CreateConnectionLatch(channel, new IpsecQop { RequireDeterminate = true })).Error);
        Assert.NotNull(_db.CreateConnectionLatch(channel, new IpsecQop { RequireConfidentiality = true, Protocol = XfrmProtocol.Esp, Mode = XfrmMode.Transport }));
    }

    [Fact]
    public async Task ListenerLatch_ItsQopAppliesToAcceptedConnections()
    {
        var listener = _db.CreateListenerLatch(new IPEndPoint(IPAddress.Any, 40000), ProtocolType.Tcp, new IpsecQop { Mode = XfrmMode.Tunnel });
        var channel = await ChannelAsync();

        var info = _db.Inquire(listener);
        Assert.Equal(IpsecLatchState.Listener, info.State);
        Assert.Equal(XfrmMode.Tunnel, info.ListenerQop!.Mode);
        Assert.Equal(IpsecError.BlockedByPolicy, Assert.Throws<IpsecException>(() => _db.CreateConnectionLatch(channel)).Error);
        Assert.Equal(IpsecError.NotConnected, Assert.Throws<IpsecException>(() => _db.EnsureEstablished(listener)).Error);
    }

    [Fact]
    public async Task GivenPeerIdMustMatch()
    {
        _peers.Set(1, 0x200, 0x100, FakePeerSource.Peer("b.test"));
        var channel = await ChannelAsync();

        Assert.Equal(IpsecError.ConnectionRefused, Assert.Throws<IpsecException>(() => _db.CreateConnectionLatch(channel, peerId: "mallory.test")).Error);
        Assert.Equal(IpsecError.ConnectionRefused, Assert.Throws<IpsecException>(() => _db.CreateConnectionLatch(channel, localId: "x.test")).Error);
        Assert.NotNull(_db.CreateConnectionLatch(channel, peerId: "b.test", localId: "a.test"));
    }

    [Fact]
    public async Task GivenPeerIdWithoutAKnownPeer_NotFound()
    {
        var channel = await ChannelAsync();

        Assert.Equal(IpsecPeerStatus.Unknown, channel.PeerStatus);
        Assert.Equal(IpsecError.NotFound, Assert.Throws<IpsecException>(() => _db.CreateConnectionLatch(channel, peerId: "b.test")).Error);
    }

    [Fact]
    public async Task RekeyWithLatchedPeer_SamePeerConfirmed_Established()
    {
        var handle = await LatchAsync(withPeer: true);
        _peers.Set(1, 0x201, 0x101, FakePeerSource.Peer("b.test"));

        _kernel.AddState(Sa(Local, Remote, 0x101, addTime: 1_700_000_500));
        _kernel.AddState(Sa(Remote, Local, 0x201, addTime: 1_700_000_500));

        await CacheChanges.UntilAsync(_cache, () => _cache.StateCount == 4, "rekeyed SAs seen");
        await _db.EvaluateNowAsync(); // and the peer check it starts
        Assert.Equal(0x201u, _db.Inquire(handle).Parameters!.Channel.Inbound.Spi);
        Assert.Equal(IpsecLatchState.Established, _db.Inquire(handle).State);
        Assert.Equal("b.test", _db.Inquire(handle).Parameters!.Channel.Peer!.RemoteId);
    }

    [Fact]
    public async Task RekeyToAnotherPeer_Broken()
    {
        var handle = await LatchAsync(withPeer: true);
        await using var alerts = _db.ReadAlertsAsync(Ct).GetAsyncEnumerator(Ct);
        _peers.Set(1, 0x201, 0x101, FakePeerSource.Peer("mallory.test"));

        _kernel.AddState(Sa(Local, Remote, 0x101, addTime: 1_700_000_500));
        _kernel.AddState(Sa(Remote, Local, 0x201, addTime: 1_700_000_500));

        var alert = await NextAlertAsync(alerts);
        Assert.Equal(IpsecLatchState.Broken, alert.State);
        Assert.Contains("mallory.test", alert.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RekeyWhosePeerNobodyKnows_Broken()
    {
        var handle = await LatchAsync(withPeer: true);
        await using var alerts = _db.ReadAlertsAsync(Ct).GetAsyncEnumerator(Ct);

        _kernel.AddState(Sa(Local, Remote, 0x101, addTime: 1_700_000_500));
        _kernel.AddState(Sa(Remote, Local, 0x201, addTime: 1_700_000_500));

        // The first check finds nobody; the second comes one retry delay later on the database's clock.
        await _time.WaitForTimerAsync(PeerRetry, Ct);
        Assert.Equal(IpsecLatchState.Established, _db.Inquire(handle).State);
        _time.Advance(PeerRetry);
        var alert = await NextAlertAsync(alerts);
        Assert.Equal(IpsecLatchState.Broken, alert.State);
        Assert.Contains("could not be confirmed", alert.Reason, StringComparison.Ordinal);
        Assert.Same(handle, alert.Handle);
    }

    [Fact]
    public async Task KernelUnreadable_Broken_ThenRecovered_Established()
    {
        var handle = await LatchAsync();
        await using var alerts = _db.ReadAlertsAsync(Ct).GetAsyncEnumerator(Ct);

        _kernel.DumpFailure = new IpsecException(IpsecError.PermissionDenied, "needs CAP_NET_ADMIN");
        _kernel.Overrun();
        var broken = await NextAlertAsync(alerts);
        Assert.Equal(IpsecLatchState.Broken, broken.State);
        Assert.Contains("cannot be read", broken.Reason, StringComparison.Ordinal);

        // The cache retries 100 ms later on its clock.
        await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(100), Ct);
        _kernel.DumpFailure = null;
        _time.Advance(TimeSpan.FromMilliseconds(100));
        var back = await NextAlertAsync(alerts);
        Assert.Equal(IpsecLatchState.Established, back.State);
        Assert.Equal(IpsecLatchState.Established, _db.Inquire(handle).State);
    }

    [Fact]
    public async Task Dispose_ClosesEveryLatch()
    {
        var handle = await LatchAsync();
        var seen = new List<IpsecLatchAlert>();
        _db.Alert += (_, a) => seen.Add(a);

        await _db.DisposeAsync();

        var alert = Assert.Single(seen);
        Assert.Same(handle, alert.Handle);
        Assert.Equal(IpsecLatchState.Closed, alert.State);
    }

    private static XfrmPolicy[] TransportPoliciesOf(XfrmStateCache cache) =>
        [.. cache.GetPolicies().OrderBy(p => p.Direction == XfrmPolicyDirection.Out ? 0 : 1)];
}
