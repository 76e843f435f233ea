using System.Net;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Testing.Charon;
using CbbToolkit.Testing.Processes;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Resolution.Charon;

/// <summary>
/// <see cref="ViciPeerSource"/> against two real charons (host: kernel-libipsec tunnel, so the child SA lives in charon,
/// not in XFRM): the peer of a child SA by reqid and SPIs, its key cross-checked with openssl, the cache, and its
/// invalidation by charon's events.
/// </summary>
public sealed class ViciPeerSourceCharonTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PeerOfTheChildSa_IsTheRemoteIdentityWithTheKeyOpensslMade_CachedUntilCharonSaysItWentDown()
    {
        CharonLab.Require(CharonKernel.Libipsec);
        await using var lab = await CharonPair.StartAsync(new CharonPairOptions { NamespacePrefix = "cbbv-" }, Ct);
        lab.A.Swanctl("--initiate", "--child", "lab");
        await using var client = new ViciClient(new ViciClientOptions { SocketPath = lab.A.Uri, CommandTimeout = TimeSpan.FromSeconds(20) });
        await using var source = new ViciPeerSource(client);
        await source.StartAsync(Ct); // returns once the event subscription is in place
        var ike = Assert.Single(await client.ListIkeSasAsync(cancellationToken: Ct));
        var child = Assert.Single(ike.ChildSas);
        var query = new IpsecPeerQuery(child.RequestId, child.InboundSpi!.Value, child.OutboundSpi!.Value, lab.A.Address, lab.B.Address);

        var peer = await source.FindPeerAsync(query, Ct);

        Assert.NotNull(peer);
        Assert.Equal(("b.test", "a.test"), (peer.RemoteId, peer.LocalId));
        Assert.Equal(IpsecAuthenticationMethod.RawPublicKey, peer.AuthenticationMethod);
        Assert.Equal(lab.B.Address, peer.RemoteHost);
        Assert.Equal((ike.UniqueId, child.UniqueId), (peer.IkeSaUniqueId, peer.ChildSaUniqueId));
        Assert.Equal(lab.B.PublicKeyDer(), peer.PublicKey?.ToArray());
        Assert.Contains(lab.A.Uri, peer.Source, StringComparison.Ordinal);
        Assert.Same(peer, await source.FindPeerAsync(query, Ct));
        Assert.Equal(1, source.CachedCount);
        Assert.Null(await source.FindPeerAsync(query with { InboundSpi = query.InboundSpi ^ 1 }, Ct));

        await client.TerminateIkeSaAsync(ike.UniqueId, Ct);

        await Eventually.TrueAsync(() => source.CachedCount == 0, "ike-updown/child-updown empty the cache");
        Assert.Null(await source.FindPeerAsync(query, Ct));
    }
}
