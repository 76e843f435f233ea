using CbbToolkit.Testing.Capabilities;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CbbToolkit.Channels.DraftApi;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Policies;
using Xunit;
using static CbbToolkit.Channels.DraftApi.IpsecApi;
using CbbToolkit.Testing.Namespaces;
using CbbToolkit.Testing.Iproute2;

namespace CbbToolkit.Channels.Tests.DraftApi;

// Draft 2.1.3 and 2.2.3 on the host kernel: real sockets, each test in its own network namespace, ip as the witness.
public sealed partial class IpsecApiTests
{
    private const int EPERM = (int)IpsecError.PermissionDenied;
    private const int EAGAIN = (int)IpsecError.TryAgain;
    private const int EACCES = (int)IpsecError.BlockedByPolicy;
    private const int ENOTCONN = (int)IpsecError.NotConnected;
    private const int EOPNOTSUPP = (int)IpsecError.NotSupported;

    [Fact]
    public void ipsec_set_socket_policy_KernelHoldsBothDirections_GetReturnsAnEqualCopy()
    {
        using var ns = ScratchNamespace.Create();
        using var socket = ns.Tcp();
        var policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY)!;
        Assert.Equal(0, ipsec_set_policy_attr(policy, IPSEC_REQID, 4, BitConverter.GetBytes(23u)));
        Assert.Equal(0, ipsec_set_policy_attr(policy, IPSEC_PRIORITY, 4, BitConverter.GetBytes(9u)));

        Assert.Equal(0, ipsec_set_socket_policy(socket, policy));

        var shown = ns.Ip("-s", "xfrm", "policy");
        Assert.Contains("socket in action allow", shown, StringComparison.Ordinal);
        Assert.Contains("socket out action allow", shown, StringComparison.Ordinal);
        Assert.Equal(2, shown.Split("reqid 23(", StringSplitOptions.None).Length - 1);
        Assert.Equal(2, shown.Split("priority 9 ", StringSplitOptions.None).Length - 1);

        // The socket keeps the policy as set: changing or freeing the handle afterwards changes nothing.
        Assert.Equal(0, ipsec_set_policy_attr(policy, IPSEC_REQID, 4, BitConverter.GetBytes(99u)));
        Assert.Equal(0, ipsec_get_socket_policy(socket, out var got));
        Assert.NotNull(got);
        Assert.Equal(0, ipsec_get_policy_attr(got, IPSEC_REQID, out _, out var reqid));
        Assert.Equal(23u, BitConverter.ToUInt32(reqid));
        Assert.Equal(0, ipsec_free_policy(policy));
        Assert.Equal(0, ipsec_get_socket_policy(socket, out var again));
        Assert.Equal(0, ipsec_cmp_policy(got, again));
        Assert.Equal(0, ipsec_free_policy(got));
        Assert.Equal(0, ipsec_free_policy(again));
    }

    [Fact]
    public void ipsec_get_socket_policy_NoneSet_Enoent_NullSocket_Einval()
    {
        using var ns = ScratchNamespace.Create();
        using var socket = ns.Tcp();
        Assert.Equal(ENOENT, ipsec_get_socket_policy(socket, out var none));
        Assert.Null(none);
        Assert.Equal(EINVAL, ipsec_get_socket_policy(null, out _));
    }

    [Fact]
    public void ipsec_set_socket_policy_BadArguments_Einval_DualStackUnconnected_Eopnotsupp()
    {
        using var ns = ScratchNamespace.Create();
        using var socket = ns.Tcp();
        var freed = ipsec_create_policy(IPSEC_DEFAULT_POLICY)!;
        Assert.Equal(0, ipsec_free_policy(freed));
        Assert.Equal(EINVAL, ipsec_set_socket_policy(socket, freed));
        Assert.Equal(EINVAL, ipsec_set_socket_policy(socket, null));
        Assert.Equal(EINVAL, ipsec_set_socket_policy(null, new IpsecPolicyHandle(IpsecPolicy.Default)));
        Assert.Equal(EINVAL, ipsec_set_socket_policy(socket, new IpsecPolicyHandle(new IpsecPolicy { UsesTunnelMode = true })));

        using var dual = ns.Tcp(AddressFamily.InterNetworkV6);
        dual.DualMode = true;
        Assert.Equal(EOPNOTSUPP, ipsec_set_socket_policy(dual, new IpsecPolicyHandle(IpsecPolicy.Default)));

        var closed = ns.Tcp();
        closed.Dispose();
        Assert.Equal(EINVAL, ipsec_set_socket_policy(closed, new IpsecPolicyHandle(IpsecPolicy.Default)));
        Assert.Empty(ns.Ip("xfrm", "policy").Trim());
    }

    [Fact]
    public void ipsec_set_socket_policy_WithoutCapNetAdmin_Eperm_AndNothingRecorded()
    {
        using var ns = ScratchNamespace.Create();
        using var socket = ns.Tcp();
        var policy = new IpsecPolicyHandle(IpsecPolicy.Default);

        Assert.Equal(EPERM, WithoutCapability.Run(WithoutCapability.NetAdmin, () => ipsec_set_socket_policy(socket, policy)));

        Assert.Equal(ENOENT, ipsec_get_socket_policy(socket, out _));
        Assert.Empty(ns.Ip("xfrm", "policy").Trim());
    }

    [Fact]
    public void ipsec_get_socket_channel_info_Unconnected_Enotconn()
    {
        using var ns = ScratchNamespace.Create();
        using var socket = ns.Tcp();
        Assert.Equal(ENOTCONN, ipsec_get_socket_channel_info(socket, out var ci));
        Assert.Null(ci);
        Assert.Equal(EINVAL, ipsec_get_socket_channel_info(null, out _));
    }

    [Fact]
    public async Task ipsec_get_socket_channel_info_NoPolicy_Enoent()
    {
        using var ns = ScratchNamespace.Create();
        var (client, server) = await ns.ConnectedPairAsync(TestContext.Current.CancellationToken);
        using (client)
        using (server)
        {
            Assert.Equal(ENOENT, ipsec_get_socket_channel_info(client, out var ci));
            Assert.Null(ci);
            Assert.Equal(ENOENT, ipsec_get_socket_channel_info(server, out _));
        }
    }

    [Fact]
    public async Task ipsec_get_socket_channel_info_SpdPolicyWithoutSa_Eagain_BlockPolicy_Eacces()
    {
        // Client in one namespace, server in another, joined by veth; the policies go into the client's namespace,
        // not the test process's: the answers prove where the kernel was read.
        using var ns = ScratchNamespace.Create();
        using var peer = ScratchNamespace.Create();
        ns.Link(peer);
        using var listener = peer.Listen(IPAddress.Parse("10.0.0.2"));
        using var client = ns.Tcp();
        await client.ConnectAsync(listener.LocalEndPoint!, TestContext.Current.CancellationToken);
        using var server = await listener.AcceptAsync(TestContext.Current.CancellationToken);
        Assert.Equal(ENOENT, ipsec_get_socket_channel_info(client, out _));

        ns.Ip("xfrm", "policy", "add", "src", "10.0.0.1", "dst", "10.0.0.2", "proto", "tcp", "dir", "out", "priority", "100", "tmpl", "proto", "esp", "reqid", "8");
        ns.Ip("xfrm", "policy", "add", "src", "10.0.0.2", "dst", "10.0.0.1", "proto", "tcp", "dir", "in", "priority", "100", "tmpl", "proto", "esp", "reqid", "8");
        Assert.Equal(EAGAIN, ipsec_get_socket_channel_info(client, out var ci));
        Assert.Null(ci);
        Assert.Equal(ENOENT, ipsec_get_socket_channel_info(server, out _)); // the server's namespace has no policy

        ns.Ip("xfrm", "policy", "add", "src", "10.0.0.1", "dst", "10.0.0.0/24", "proto", "tcp", "dir", "out", "priority", "1", "action", "block");
        Assert.Equal(EACCES, ipsec_get_socket_channel_info(client, out _)); // priority 1 beats 100
    }

    [Fact]
    public async Task ipsec_get_socket_channel_info_RealEspConnection_TheSaPairBothEnds_PinsChecked()
    {
        using var ns = ScratchNamespace.Create();
        using var peer = ScratchNamespace.Create();
        ns.Link(peer);
        EspSaPair.AddBetween(ns, "10.0.0.1", peer, "10.0.0.2", howToRun: "tests/lab/uml/run.sh --project tests/CbbToolkit.Channels.Tests");
        using var listener = peer.Listen(IPAddress.Parse("10.0.0.2"));
        using var client = ns.Tcp();
        await client.ConnectAsync(listener.LocalEndPoint!, TestContext.Current.CancellationToken); // over ESP
        using var server = await listener.AcceptAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, ipsec_get_socket_channel_info(client, out var mine));
        Assert.Equal(0, ipsec_get_socket_channel_info(server, out var theirs));
        var c = mine!.ChannelInfo;
        var s = theirs!.ChannelInfo;
        Assert.Equal(new byte[] { 0, 0, 0x01, 0x01 }, c.GetBytes(ChannelAttributeType.IpsecOutboundSpi));
        Assert.Equal(new byte[] { 0, 0, 0x02, 0x01 }, c.GetBytes(ChannelAttributeType.IpsecInboundSpi));
        Assert.Equal(c.GetBytes(ChannelAttributeType.IpsecOutboundSpi), s.GetBytes(ChannelAttributeType.IpsecInboundSpi));
        Assert.Equal(c.GetBytes(ChannelAttributeType.IpsecInboundSpi), s.GetBytes(ChannelAttributeType.IpsecOutboundSpi));
        Assert.Equal(new byte[] { 50 }, c.GetBytes(ChannelAttributeType.IpsecProtocol));
        Assert.Equal(new byte[] { 0 }, c.GetBytes(ChannelAttributeType.IpsecMode));
        Assert.Equal(new byte[] { 0, 0, 0, 1 }, c.GetBytes(ChannelAttributeType.IpsecRequestId));
        Assert.Equal("rfc4106(gcm(aes)),cbc(aes),hmac(sha256)", Encoding.UTF8.GetString(c.GetBytes(ChannelAttributeType.IpsecAlgorithms)!));
        Assert.Null(c.IpsecPeerId); // no IKE daemon: manual keys

        var esp = new ChannelInfoHandle(ChannelInfo.Empty.With(ChannelAttributeType.IpsecProtocol, [50]).With(ChannelAttributeType.IpsecMode, [0]));
        Assert.Equal(0, ipsec_set_socket_channel_info(client, esp));
        Assert.Equal(0, ipsec_get_socket_channel_info(client, out _));
        var ah = new ChannelInfoHandle(ChannelInfo.Empty.With(ChannelAttributeType.IpsecProtocol, [51]));
        Assert.Equal(0, ipsec_set_socket_channel_info(client, ah));
        Assert.Equal(EKEYREJECTED, ipsec_get_socket_channel_info(client, out _));
        var named = new ChannelInfoHandle(ChannelInfo.Empty.With(ChannelAttributeType.IpsecPeerId, Encoding.UTF8.GetBytes("b.test")));
        Assert.Equal(0, ipsec_set_socket_channel_info(server, named));
        Assert.Equal(EKEYREJECTED, ipsec_get_socket_channel_info(server, out _)); // nobody can name the peer of manual keys
    }

    [Fact]
    public async Task ipsec_get_socket_channel_info_SocketPolicyCounts_RequiredWithoutSa_Eagain()
    {
        // No SPD policy at all: only the socket's own policy (set after connecting) covers the flow.
        using var ns = ScratchNamespace.Create();
        var (client, server) = await ns.ConnectedPairAsync(TestContext.Current.CancellationToken);
        using (client)
        using (server)
        {
            Assert.Equal(ENOENT, ipsec_get_socket_channel_info(client, out _));
            Assert.Equal(0, ipsec_set_socket_policy(client, new IpsecPolicyHandle(new IpsecPolicy { RequestId = 4 })));
            Assert.Equal(EAGAIN, ipsec_get_socket_channel_info(client, out _));
            Assert.Equal(ENOENT, ipsec_get_socket_channel_info(server, out _)); // the other end's socket has no policy
        }
    }

    [Fact]
    public async Task ipsec_set_socket_channel_info_PinKept_NotProtectedStillFailsClosed()
    {
        using var ns = ScratchNamespace.Create();
        var (client, server) = await ns.ConnectedPairAsync(TestContext.Current.CancellationToken);
        using (client)
        using (server)
        {
            var pin = new ChannelInfoHandle(ChannelInfo.Empty.With(ChannelAttributeType.IpsecPeerId, Encoding.UTF8.GetBytes("b.test")));
            Assert.Equal(0, ipsec_set_socket_channel_info(client, pin));
            Assert.Equal(ENOENT, ipsec_get_socket_channel_info(client, out var ci)); // no channel: never "accepted"
            Assert.Null(ci);
        }
    }

    [Fact]
    public void ipsec_set_socket_channel_info_NothingComparable_Einval()
    {
        using var ns = ScratchNamespace.Create();
        using var socket = ns.Tcp();
        var tlsOnly = new ChannelInfoHandle(ChannelInfo.Empty.With(ChannelAttributeType.TlsVersion, [0x03, 0x04]));
        var spiOnly = new ChannelInfoHandle(ChannelInfo.Empty.With(ChannelAttributeType.IpsecOutboundSpi, [0, 0, 1, 0]));
        var freed = ipsec_create_channel_info()!;
        Assert.Equal(0, ipsec_free_channel_info(freed));

        Assert.Equal(EINVAL, ipsec_set_socket_channel_info(socket, tlsOnly));
        Assert.Equal(EINVAL, ipsec_set_socket_channel_info(socket, spiOnly));
        Assert.Equal(EINVAL, ipsec_set_socket_channel_info(socket, ipsec_create_channel_info()));
        Assert.Equal(EINVAL, ipsec_set_socket_channel_info(socket, freed));
        Assert.Equal(EINVAL, ipsec_set_socket_channel_info(socket, null));
        Assert.Equal(EINVAL, ipsec_set_socket_channel_info(null, tlsOnly));
    }
}
