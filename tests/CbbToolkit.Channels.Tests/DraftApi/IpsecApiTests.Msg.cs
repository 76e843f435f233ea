using System.Net;
using CbbToolkit.Channels.DraftApi;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Sockets;
using Xunit;
using static CbbToolkit.Channels.DraftApi.IpsecApi;
using CbbToolkit.Testing.Namespaces;

namespace CbbToolkit.Channels.Tests.DraftApi;

// Draft 2.1.4 and 2.2.4 on the host kernel: datagrams through UdpIpsecSender, each test in its own namespace.
public sealed partial class IpsecApiTests
{
    private static readonly IpsecPolicy Bypass = new()
    {
        PrivacyProtected = ProtectionRequirement.Disable,
        IntegrityProtected = ProtectionRequirement.Disable,
    };

    [Fact]
    public void ipsec_set_msg_policy_GetReturnsACopy_NoneAttached_Enoent()
    {
        var msg = new IpsecMessage(new IPEndPoint(IPAddress.Loopback, 9), new byte[4]);
        Assert.Equal(ENOENT, ipsec_get_msg_policy(msg, out var none));
        Assert.Null(none);

        var policy = new IpsecPolicyHandle(new IpsecPolicy { RequestId = 6 });
        Assert.Equal(0, ipsec_set_msg_policy(msg, policy));
        Assert.Equal(0, ipsec_set_policy_attr(policy, IPSEC_REQID, 4, BitConverter.GetBytes(7u)));
        Assert.Equal(0, ipsec_get_msg_policy(msg, out var got));
        Assert.Equal(6u, got!.Policy.RequestId);

        Assert.Equal(EINVAL, ipsec_set_msg_policy(null, policy));
        Assert.Equal(EINVAL, ipsec_set_msg_policy(msg, null));
        Assert.Equal(EINVAL, ipsec_get_msg_policy(null, out _));
    }

    [Fact]
    public async Task ipsec_sendmsg_UnderBypassPolicy_Arrives_RecvmsgNamesTheSender_AndCarriesTheInboundPolicy()
    {
        using var ns = ScratchNamespace.Create();
        using var senderSocket = ns.Udp(IPAddress.Loopback);
        using var receiverSocket = ns.Udp(IPAddress.Loopback);
        receiverSocket.ReceiveTimeout = 10_000;
        var sender = new UdpIpsecSender(senderSocket);
        var receiver = new UdpIpsecSender(receiverSocket);
        receiver.SetInboundPolicy(Bypass);

        var outgoing = new IpsecMessage((IPEndPoint)receiverSocket.LocalEndPoint!, new byte[] { 1, 2, 3, 4, 5 });
        Assert.Equal(0, ipsec_set_msg_policy(outgoing, new IpsecPolicyHandle(Bypass)));
        Assert.Equal(0, ipsec_sendmsg(sender, outgoing, out var sent));
        Assert.Equal(5, sent);

        var incoming = new IpsecMessage(null, new byte[64]);
        var (code, received) = await Task.Run(() => (ipsec_recvmsg(receiver, incoming, out var n), n), TestContext.Current.CancellationToken);
        Assert.Equal((0, 5), (code, received));
        Assert.True(incoming.IsReceived);
        Assert.Equal(senderSocket.LocalEndPoint, incoming.Name);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, incoming.Buffer[..incoming.Length].ToArray());
        Assert.Equal(0, ipsec_get_msg_policy(incoming, out var inbound));
        Assert.Equal(Bypass, inbound!.Policy);
        Assert.Equal(EINVAL, ipsec_set_msg_policy(incoming, new IpsecPolicyHandle(Bypass)));

        // A socket without an inbound policy delivers datagrams that may have come in clear: nothing to report.
        var plain = new UdpIpsecSender(senderSocket);
        senderSocket.ReceiveTimeout = 10_000;
        var back = new IpsecMessage((IPEndPoint)senderSocket.LocalEndPoint!, new byte[] { 9 });
        Assert.Equal(0, ipsec_set_msg_policy(back, new IpsecPolicyHandle(Bypass)));
        Assert.Equal(0, ipsec_sendmsg(receiver, back, out _));
        var reply = new IpsecMessage(null, new byte[8]);
        Assert.Equal(0, await Task.Run(() => ipsec_recvmsg(plain, reply, out _), TestContext.Current.CancellationToken));
        Assert.Equal(ENOENT, ipsec_get_msg_policy(reply, out _));
    }

    [Fact]
    public void ipsec_sendmsg_RequiredEspWithoutSa_Eagain_NothingSent()
    {
        using var ns = ScratchNamespace.Create();
        using var senderSocket = ns.Udp(IPAddress.Loopback);
        using var receiverSocket = ns.Udp(IPAddress.Loopback);
        var msg = new IpsecMessage((IPEndPoint)receiverSocket.LocalEndPoint!, new byte[] { 1 });
        Assert.Equal(0, ipsec_set_msg_policy(msg, new IpsecPolicyHandle(new IpsecPolicy { RequestId = 3 })));

        Assert.Equal(EAGAIN, ipsec_sendmsg(new UdpIpsecSender(senderSocket), msg, out var sent));

        Assert.Equal(0, sent);
        Assert.Equal(0, receiverSocket.Available);
        Assert.Contains("dst 127.0.0.1/32 proto udp", ns.Ip("xfrm", "policy"), StringComparison.Ordinal); // narrowed to the destination
    }

    [Fact]
    public void ipsec_sendmsg_NoPolicy_Enoent_NoDestinationOrWrongFamily_Einval()
    {
        using var ns = ScratchNamespace.Create();
        using var socket = ns.Udp(IPAddress.Loopback);
        var sender = new UdpIpsecSender(socket);

        Assert.Equal(ENOENT, ipsec_sendmsg(sender, new IpsecMessage(new IPEndPoint(IPAddress.Loopback, 9), new byte[1]), out _));
        var noName = new IpsecMessage(null, new byte[1]);
        Assert.Equal(0, ipsec_set_msg_policy(noName, new IpsecPolicyHandle(Bypass)));
        Assert.Equal(EINVAL, ipsec_sendmsg(sender, noName, out _));
        var v6 = new IpsecMessage(new IPEndPoint(IPAddress.IPv6Loopback, 9), new byte[1]);
        Assert.Equal(0, ipsec_set_msg_policy(v6, new IpsecPolicyHandle(Bypass)));
        Assert.Equal(EINVAL, ipsec_sendmsg(sender, v6, out _));
        Assert.Equal(EINVAL, ipsec_sendmsg(null, v6, out _));
        Assert.Equal(EINVAL, ipsec_recvmsg(sender, null, out _));
    }

    [Fact]
    public void ipsec_recvmsg_PolicyOtherThanTheSocketsInbound_Eopnotsupp_TimeoutEagain()
    {
        using var ns = ScratchNamespace.Create();
        using var socket = ns.Udp(IPAddress.Loopback);
        socket.ReceiveTimeout = 200;
        var receiver = new UdpIpsecSender(socket);
        var msg = new IpsecMessage(null, new byte[8]);
        Assert.Equal(0, ipsec_set_msg_policy(msg, new IpsecPolicyHandle(IpsecPolicy.Default)));

        Assert.Equal(EOPNOTSUPP, ipsec_recvmsg(receiver, msg, out _)); // the socket requires nothing inbound

        receiver.SetInboundPolicy(IpsecPolicy.Default);
        Assert.Equal(EAGAIN, ipsec_recvmsg(receiver, msg, out var received)); // now accepted; no datagram within the timeout
        Assert.Equal(0, received);
    }

    [Fact]
    public void ipsec_msg_channel_info_NotSupportedOnLinux()
    {
        var msg = new IpsecMessage(new IPEndPoint(IPAddress.Loopback, 9), new byte[1]);
        var pin = new ChannelInfoHandle(ChannelInfo.Empty.With(ChannelAttributeType.IpsecMode, [0]));
        Assert.Equal(EOPNOTSUPP, ipsec_set_msg_channel_info(msg, pin));
        Assert.Equal(EOPNOTSUPP, ipsec_get_msg_channel_info(msg, out var ci));
        Assert.Null(ci);
        Assert.Equal(EINVAL, ipsec_set_msg_channel_info(null, pin));
        Assert.Equal(EINVAL, ipsec_set_msg_channel_info(msg, null));
        Assert.Equal(EINVAL, ipsec_get_msg_channel_info(null, out _));
    }
}
