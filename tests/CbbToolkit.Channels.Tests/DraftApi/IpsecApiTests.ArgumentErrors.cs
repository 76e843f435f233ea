using System.Net;
using CbbToolkit.Channels.DraftApi;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Sockets;
using CbbToolkit.Testing.Namespaces;
using Xunit;
using static CbbToolkit.Channels.DraftApi.IpsecApi;

namespace CbbToolkit.Channels.Tests.DraftApi;

// The .NET layer reports bad arguments as ArgumentException (not IpsecException); the facade turns each into EINVAL
// before anything reaches the kernel. Each case checks both sides, so the EINVAL is the mapping, not a kernel answer.
public sealed partial class IpsecApiTests
{
    private static readonly IpsecPolicy OptionalTunnel = new() { UsesTunnelMode = true, Level = IpsecLevel.Use };

    [Fact]
    public void ArgumentErrors_SocketPolicy_ArgumentExceptionBelow_EinvalInTheFacade()
    {
        using var ns = ScratchNamespace.Create();
        using var unconnected = ns.Tcp();
        using var connected = ns.Udp(IPAddress.Loopback);
        connected.Connect(new IPEndPoint(IPAddress.Loopback, 9));
        var tunnel = new IpsecPolicy { UsesTunnelMode = true };

        Assert.Equal("peer", Assert.Throws<ArgumentException>(() => unconnected.SetIpsecPolicy(tunnel)).ParamName);
        Assert.Equal(EINVAL, ipsec_set_socket_policy(unconnected, new IpsecPolicyHandle(tunnel)));
        Assert.Equal("policy", Assert.Throws<ArgumentException>(() =>
            connected.SetIpsecPolicy(OptionalTunnel, (IPEndPoint)connected.RemoteEndPoint!)).ParamName);
        Assert.Equal(EINVAL, ipsec_set_socket_policy(connected, new IpsecPolicyHandle(OptionalTunnel)));

        Assert.Empty(ns.Ip("xfrm", "policy").Trim());
        Assert.Null(connected.GetIpsecPolicy());
    }

    [Fact]
    public void ArgumentErrors_Sendmsg_ArgumentExceptionBelow_EinvalInTheFacade()
    {
        using var ns = ScratchNamespace.Create();
        using var socket = ns.Udp(IPAddress.Loopback);
        var sender = new UdpIpsecSender(socket);
        var otherFamily = new IPEndPoint(IPAddress.IPv6Loopback, 9);
        var v4 = new IPEndPoint(IPAddress.Loopback, 9);

        Assert.Equal("remote", Assert.Throws<ArgumentException>(() => sender.SendTo([1], otherFamily, Bypass)).ParamName);
        Assert.Equal(EINVAL, Send(sender, otherFamily, Bypass));
        Assert.Equal("policy", Assert.Throws<ArgumentException>(() => sender.SendTo([1], v4, OptionalTunnel)).ParamName);
        Assert.Equal(EINVAL, Send(sender, v4, OptionalTunnel));

        Assert.Empty(ns.Ip("xfrm", "policy").Trim());
    }

    private static int Send(UdpIpsecSender sender, IPEndPoint to, IpsecPolicy policy)
    {
        var msg = new IpsecMessage(to, new byte[1]);
        Assert.Equal(0, ipsec_set_msg_policy(msg, new IpsecPolicyHandle(policy)));
        var result = ipsec_sendmsg(sender, msg, out var sent);
        Assert.Equal(0, sent);
        return result;
    }
}
