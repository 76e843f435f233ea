using System.Net;
using System.Net.Sockets;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.IpsecBindings;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Xfrm;
using CbbToolkit.Lab.Tests.Infrastructure;
using CbbToolkit.Lab.Tests.IpsecBindings;
using CbbToolkit.Testing.Iproute2;
using CbbToolkit.Testing.Libreswan;
using Xunit;

namespace CbbToolkit.Lab.Tests.NullAuth;

/// <summary>
/// Stand-alone BTNS for real (the draft's SAB + CBB case): two libreswan plutos negotiate IKEv2 with RFC 7619 NULL
/// authentication (<see cref="PlutoPair"/>, a fresh pair per test), so no IKE identity exists on either end. The ESP SAs
/// pluto installs carry TCP; each end computes ipsec-sa-binding from its own kernel and both agree (and agree with the
/// iproute2 reference); ipsec-end-point-sha256 is absent with its reason; the peer source (pluto's whack text) and
/// the channel information say "unauthenticated" and carry no identity.
/// </summary>
public sealed class NullAuthSaBindingTests
{
    private const int EchoBytes = 64 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NullAuthPair_EspCarriesTcp_BothEndsSameSaBinding_NoEndPoint_PeerUnauthenticated()
    {
        KernelEsp.Require();
        await using var pair = await PlutoPair.StartAsync(Ct);
        var (trafficA, trafficB) = await pair.BringUpAsync(Ct);
        Console.WriteLine($"null-auth: plutos loaded after {pair.StartTime.TotalMilliseconds:F0} ms, child SA on both ends {pair.UpTime.TotalMilliseconds:F0} ms after initiate");

        // pluto's own words: an ESP child SA whose peer has the NULL identity, authenticated by nobody.
        Assert.Equal(("ESP", "ESP"), (trafficA.Type, trafficB.Type));
        Assert.Equal(("ID_NULL", "ID_NULL"), (trafficA.Id, trafficB.Id));
        foreach (var control in new[] { pair.ControlA, pair.ControlB })
        {
            var connection = PlutoPair.Status(control).Connection(PlutoPair.ConnectionName);
            Assert.Equal(("null", "null", "ID_NULL"), (connection?.OurAuth, connection?.TheirAuth, connection?.TheirIdType));
        }

        var (hostA, hostB) = (Host(pair.NamespaceA, "veth-a", pair.AddressA), Host(pair.NamespaceB, "veth-b", pair.AddressB));
        using var listener = TcpEcho.Open(hostB, AddressFamily.InterNetwork);
        listener.Bind(new IPEndPoint(pair.AddressB, PlutoPair.Port));
        listener.Listen();
        using var client = TcpEcho.Open(hostA, AddressFamily.InterNetwork);
        await TcpEcho.RunAsync(listener, client, new IPEndPoint(pair.AddressB, PlutoPair.Port), EchoBytes);
        // A second connection, kept open while both ends resolve it (the echo closes its own).
        using var open = TcpEcho.Open(hostA, AddressFamily.InterNetwork);
        var accept = listener.AcceptAsync(Ct);
        await open.ConnectAsync(new IPEndPoint(pair.AddressB, PlutoPair.Port), Ct);
        using var accepted = await accept;
        var flow = BindingEnd.Of(open);

        var peersA = new WhackPeerSource(pair.ControlA);
        var peersB = new WhackPeerSource(pair.ControlB);
        var (channelA, a) = await BindingEnd.ConvertAsync(pair.NamespaceA, flow, Ct, peersA);
        var (channelB, b) = await BindingEnd.ConvertAsync(pair.NamespaceB, BindingEnd.Mirror(flow), Ct, peersB);

        // The kernel SAs are pluto's: the SPIs whack lists, and they carried the echo.
        Assert.Equal((channelA.Outbound.Spi, channelA.Inbound.Spi), (channelB.Inbound.Spi, channelB.Outbound.Spi));
        var childA = Assert.Single(PlutoPair.Status(pair.ControlA).ChildSas);
        Assert.Equal((childA.OutboundSpi, childA.InboundSpi), (channelA.Outbound.Spi, channelA.Inbound.Spi));
        Assert.Equal((XfrmProtocol.Esp, XfrmMode.Transport), (channelA.Protocol, channelA.Mode));
        var counters = IpXfrm.Counters(pair.NamespaceA);
        Assert.True(counters[channelA.Outbound.Spi].Bytes >= EchoBytes, $"A's outbound SA counted {counters[channelA.Outbound.Spi].Bytes} bytes");
        Assert.True(counters[channelA.Inbound.Spi].Bytes >= EchoBytes, $"A's inbound SA counted {counters[channelA.Inbound.Spi].Bytes} bytes");

        // Unauthenticated, with no identity: never "ID_NULL" or an address passed off as one.
        foreach (var (channel, conversion) in new[] { (channelA, a), (channelB, b) })
        {
            Assert.Equal(IpsecPeerStatus.Known, channel.PeerStatus);
            var peer = channel.Peer!;
            Assert.Equal((IpsecAuthenticationMethod.Null, IpsecAuthenticationMethod.Null), (peer.AuthenticationMethod, peer.LocalAuthenticationMethod));
            Assert.Equal(string.Empty, peer.RemoteId);
            Assert.Null(peer.LocalId);
            Assert.Null(peer.PublicKey);
            Assert.DoesNotContain("ID_NULL", peer.ToString(), StringComparison.Ordinal);
            Assert.False(conversion.Info.Contains(ChannelAttributeType.IpsecPeerId));
            Assert.False(conversion.Info.Contains(ChannelAttributeType.IpsecPeerPublicKey));
            Assert.Equal([(byte)IpsecAuthenticationMethod.Null], conversion.Info.GetBytes(ChannelAttributeType.IpsecAuthenticationMethod)!);
            Assert.Same(IpsecIdentity.Unauthenticated, IpsecIdentity.FromPeer(conversion.Info));
            Assert.DoesNotContain("ID_NULL", conversion.Info.ToJson(), StringComparison.Ordinal);

            Assert.False(conversion.EndPoint!.HasValue);
            Assert.Equal(IpsecBindingAbsence.NotPublicKeyAuthentication, conversion.EndPoint.Absence);
            Assert.False(conversion.Info.Contains(ChannelAttributeType.IpsecEndPointSha256));
        }

        // ipsec-sa-binding carries the whole binding: both ends agree, and so does iproute2's view of pluto's SAs.
        var saA = Hex(BindingEnd.SaBinding(a));
        Assert.Equal(saA, Hex(BindingEnd.SaBinding(b)));
        Assert.Equal(saA, Hex(IpXfrmSaBinding.Compute(pair.NamespaceA, channelA.Outbound.Spi, channelA.Inbound.Spi)));
        Assert.Equal(saA, Hex(IpXfrmSaBinding.Compute(pair.NamespaceB, channelA.Outbound.Spi, channelA.Inbound.Spi)));

        // Without a peer source the value is the same; only the end point's reason changes (nobody was asked).
        var (bare, bareA) = await BindingEnd.ConvertAsync(pair.NamespaceA, flow, Ct);
        Assert.Equal(IpsecPeerStatus.NotQueried, bare.PeerStatus);
        Assert.Equal(IpsecBindingAbsence.NoPeer, bareA.EndPoint!.Absence);
        Assert.Equal(saA, Hex(BindingEnd.SaBinding(bareA)));
    }

    [Fact]
    public async Task NullAuthPair_OnlyTheNegotiatedPortIsProtected()
    {
        KernelEsp.Require();
        await using var pair = await PlutoPair.StartAsync(Ct);
        await pair.BringUpAsync(Ct);
        var local = new IPEndPoint(pair.AddressA, 40000);
        using var xfrm = XfrmClient.Open(pair.NamespaceA);

        var inside = await IpsecChannelResolver.ResolveOnceAsync(xfrm,
            new IpsecFlow(local, new IPEndPoint(pair.AddressB, PlutoPair.Port), ProtocolType.Tcp), new WhackPeerSource(pair.ControlA), cancellationToken: Ct);
        var outside = await IpsecChannelResolver.ResolveOnceAsync(xfrm,
            new IpsecFlow(local, new IPEndPoint(pair.AddressB, PlutoPair.Port + 1), ProtocolType.Tcp), new WhackPeerSource(pair.ControlA), cancellationToken: Ct);

        Assert.True(inside.IsProtected, inside.ToString());
        Assert.Equal(IpsecAuthenticationMethod.Null, inside.Channel!.Peer?.AuthenticationMethod);
        Assert.False(outside.IsProtected, outside.ToString());
    }

    private static LabHost Host(string ns, string dev, IPAddress address) => new(ns, dev, address, IPAddress.IPv6None);

    private static string Hex(byte[] value) => Convert.ToHexStringLower(value);
}
