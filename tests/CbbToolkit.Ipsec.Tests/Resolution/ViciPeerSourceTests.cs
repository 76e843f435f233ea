using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;
using static CbbToolkit.Ipsec.Tests.Resolution.XfrmSets;

namespace CbbToolkit.Ipsec.Tests.Resolution;

/// <summary>A VICI peer source whose daemon is not there: the channel is still resolved, without a peer, fail closed.</summary>
public sealed class ViciPeerSourceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly XfrmState[] States = [Sa("192.0.2.1", "192.0.2.2", 0x100), Sa("192.0.2.2", "192.0.2.1", 0x200)];

    private static string NoDaemon() => "unix://" + Path.Combine(Path.GetTempPath(), "cbb-no-charon-" + Guid.NewGuid().ToString("N") + ".vici");

    [Fact]
    public async Task DaemonAbsent_FindPeerSaysConnectionRefused()
    {
        await using var source = new ViciPeerSource(NoDaemon());

        var e = await Assert.ThrowsAsync<IpsecException>(async () => await source.FindPeerAsync(new IpsecPeerQuery(1, 2, 3, Ip("192.0.2.1"), Ip("192.0.2.2")), Ct));

        Assert.Equal(IpsecError.ConnectionRefused, e.Error);
        Assert.False(source.IsFollowingEvents);
    }

    [Fact]
    public async Task DaemonAbsent_ChannelWithoutPeer_OrNotProtectedWhenThePeerIsRequired()
    {
        await using var source = new ViciPeerSource(NoDaemon());
        var flow = Flow("192.0.2.1", 40000, "192.0.2.2", 443);
        var cache = Cache(States, TransportPolicies("192.0.2.1", "192.0.2.2"));

        var lenient = await new IpsecChannelResolver(cache, source).ResolveAsync(flow, cancellationToken: Ct);
        var strict = await new IpsecChannelResolver(cache, source, new IpsecChannelResolverOptions { RequirePeer = true }).ResolveAsync(flow, cancellationToken: Ct);

        Assert.True(lenient.IsProtected, lenient.Message);
        Assert.Null(lenient.Channel.Peer);
        Assert.Equal(IpsecPeerStatus.Unreachable, lenient.Channel.PeerStatus);
        Assert.Contains("reach", lenient.Channel.PeerMessage, StringComparison.Ordinal);
        Assert.Equal(IpsecNotProtectedReason.KeyManagerUnreachable, strict.Reason);
        Assert.Equal(IpsecError.ConnectionRefused, strict.Error);
    }
}
