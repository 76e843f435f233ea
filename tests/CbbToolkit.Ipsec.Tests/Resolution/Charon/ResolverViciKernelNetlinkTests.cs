using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Charon;
using CbbToolkit.Testing.Iproute2;
using CbbToolkit.Testing.Processes;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Resolution.Charon;

/// <summary>
/// End to end with strongSwan keying real transport-mode ESP (kernel-netlink): the resolver names the SA pair charon
/// installed and the peer VICI reports, a latch follows a child rekey (peer confirmed over VICI) and breaks when the IKE
/// SA is terminated. Needs a kernel with ESP: runs in User-Mode Linux (the class name matches ./run's
/// ViciKernelNetlinkTests filter), skips on the host kernel.
/// </summary>
public sealed class ResolverViciKernelNetlinkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CharonTransportSa_ResolvedWithItsPeer_LatchFollowsRekey_AndBreaksOnTerminate()
    {
        // kernel-netlink needs no TUN device (only kernel-libipsec does); inside the lab guest anything missing fails.
        CharonLab.Require(CharonKernel.Netlink);
        Esp.Require("tests/lab/uml/run.sh --project tests/CbbToolkit.Ipsec.Tests --filter ViciKernelNetlinkTests");
        await using var lab = await CharonPair.StartAsync(
            new CharonPairOptions { Mode = CharonMode.Transport, Kernel = CharonKernel.Netlink, NamespacePrefix = "cbbv-" }, Ct);
        lab.A.Swanctl("--initiate", "--child", "lab");
        await using var cache = await XfrmStateCache.StartAsync(lab.A.Namespace, cancellationToken: Ct);
        await using var client = new ViciClient(new ViciClientOptions { SocketPath = lab.A.Uri, CommandTimeout = TimeSpan.FromSeconds(20) });
        await using var peers = new ViciPeerSource(client);
        var resolver = new IpsecChannelResolver(cache, peers);
        await using var latches = new IpsecLatchDatabase(resolver);
        await peers.StartAsync(Ct); // returns once VICI events are followed
        var ike = Assert.Single(await client.ListIkeSasAsync(cancellationToken: Ct));
        var child = Assert.Single(ike.ChildSas);

        using var listener = NetworkNamespace.Run(lab.B.Namespace, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        listener.Bind(new IPEndPoint(lab.B.Address, 0));
        listener.Listen();
        using var socket = NetworkNamespace.Run(lab.A.Namespace, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        var accept = listener.AcceptAsync(Ct).AsTask();
        await socket.ConnectAsync(listener.LocalEndPoint!, Ct);
        using var server = await accept.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var r = await resolver.ResolveAsync(socket, Ct);

        Assert.True(r.IsProtected, r.Message);
        Assert.Equal((child.OutboundSpi, child.InboundSpi), (r.Channel.Outbound.Spi, r.Channel.Inbound.Spi));
        Assert.Equal(child.RequestId, r.Channel.Outbound.RequestId);
        Assert.Contains(IpXfrm.States(lab.A.Namespace), s => (s.Spi, s.RequestId, s.Mode) == (r.Channel.Outbound.Spi, child.RequestId, "transport"));
        Assert.Equal(IpsecPeerStatus.Known, r.Channel.PeerStatus);
        Assert.Equal(("b.test", "a.test"), (r.Channel.Peer!.RemoteId, r.Channel.Peer.LocalId));
        Assert.Equal(IpsecAuthenticationMethod.RawPublicKey, r.Channel.Peer.AuthenticationMethod);
        Assert.Equal(ike.UniqueId, r.Channel.Peer.IkeSaUniqueId);
        Assert.True(r.Channel.IsQopIndeterminate); // charon's SA selectors are the host pair, not the 5-tuple

        var handle = latches.CreateConnectionLatch(r.Channel, peerId: "b.test");
        await using var alerts = latches.ReadAlertsAsync(Ct).GetAsyncEnumerator(Ct);

        // A child rekey: new SPIs, same reqid, peer confirmed over VICI.
        lab.A.Swanctl("--rekey", "--child", "lab");
        await Eventually.TrueAsync(() => latches.Inquire(handle).Parameters!.Channel.Outbound.Spi != child.OutboundSpi
                                         && latches.Inquire(handle).Parameters!.Channel.Inbound.Spi != child.InboundSpi, "the latch moves to the rekeyed SAs", 30_000);
        Assert.Equal(IpsecLatchState.Established, latches.Inquire(handle).State);
        var rekeyed = Assert.Single(Assert.Single(await client.ListIkeSasAsync(cancellationToken: Ct)).ChildSas, c => c.State == "INSTALLED");
        Assert.Equal((rekeyed.OutboundSpi, rekeyed.InboundSpi), (latches.Inquire(handle).Parameters!.Channel.Outbound.Spi, latches.Inquire(handle).Parameters!.Channel.Inbound.Spi));
        Assert.Equal("b.test", latches.Inquire(handle).Parameters!.Channel.Peer?.RemoteId);
        await socket.SendAsync(new byte[1000], SocketFlags.None, Ct);
        Assert.True(await server.ReceiveAsync(new byte[1000], SocketFlags.None, Ct) > 0, "the connection still carries data");

        await client.TerminateIkeSaAsync(ike.UniqueId, Ct);

        var next = alerts.MoveNextAsync().AsTask();
        Assert.True(await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(30), Ct)) == next && await next, "an alert within 30 s");
        Assert.Equal(IpsecLatchState.Broken, alerts.Current.State);
        Assert.Equal(IpsecError.LatchBroken, Assert.Throws<IpsecException>(() => latches.EnsureEstablished(handle)).Error);
    }
}
