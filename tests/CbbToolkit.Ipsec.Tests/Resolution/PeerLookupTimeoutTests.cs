using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Tests.Timing;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;
using static CbbToolkit.Ipsec.Tests.Resolution.XfrmSets;

namespace CbbToolkit.Ipsec.Tests.Resolution;

/// <summary>
/// IpsecChannelResolverOptions.PeerLookupTimeout on a fake clock: a key manager that never answers makes the peer
/// Failed exactly when the timeout passes on the resolver's clock; the caller's cancellation still wins.
/// </summary>
public sealed class PeerLookupTimeoutTests
{
    private const string Local = "192.0.2.1";
    private const string Remote = "192.0.2.2";
    private static readonly IpsecFlow Tcp = Flow(Local, 40000, Remote, 443);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SilentKeyManager_PeerFailed_WhenTheTimeoutPassesOnTheClock()
    {
        var time = new ObservedTimeProvider();
        await using var cache = Kernel();
        var resolver = new IpsecChannelResolver(cache, new SilentPeerSource(), new IpsecChannelResolverOptions { PeerLookupTimeout = TimeSpan.FromMinutes(10) }, time);

        var resolving = resolver.ResolveAsync(Tcp, cancellationToken: Ct).AsTask();
        Assert.Equal(TimeSpan.FromMinutes(10), await time.NextTimerAsync(Ct));
        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.False(resolving.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));

        var r = await resolving.WaitAsync(TimeSpan.FromSeconds(30), Ct); // a guard against hanging
        Assert.True(r.IsProtected, r.Message);
        Assert.Equal(IpsecPeerStatus.Failed, r.Channel.PeerStatus);
        Assert.Null(r.Channel.Peer);
        Assert.Contains("did not answer within 600 s", r.Channel.PeerMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallersCancellation_Throws_BeforeTheTimeout()
    {
        var time = new ObservedTimeProvider();
        await using var cache = Kernel();
        var resolver = new IpsecChannelResolver(cache, new SilentPeerSource(), timeProvider: time);
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var resolving = resolver.ResolveAsync(Tcp, cancellationToken: caller.Token).AsTask();
        await time.NextTimerAsync(Ct);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolving);
    }

    private static XfrmStateCache Kernel() =>
        XfrmStateCache.FromDump([Sa(Local, Remote, 0x100), Sa(Remote, Local, 0x200)], TransportPolicies(Local, Remote));

    /// <summary>A key manager that never answers, until cancelled.</summary>
    private sealed class SilentPeerSource : IIpsecPeerSource
    {
        public async ValueTask<IpsecPeer?> FindPeerAsync(IpsecPeerQuery query, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return null;
        }
    }
}
