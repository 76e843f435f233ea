using System.Net;
using System.Net.Sockets;
using System.Text;
using CbbToolkit.Channels.DraftApi;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Ipsec.Resolution;
using Xunit;
using static CbbToolkit.Channels.DraftApi.IpsecApi;
using CbbToolkit.Testing.Namespaces;

namespace CbbToolkit.Channels.Tests.DraftApi;

// ipsec_get_socket_channel_info with a configured resolver: real sockets (192.0.2.1 -> 192.0.2.2 over lo in a test
// namespace), the ESP state and the key manager from EspModel (the host kernel holds no ESP SA).
public sealed partial class IpsecApiTests
{
    private const int EKEYREJECTED = (int)Ipsec.IpsecError.KeyRejected;
    private const int ECONNREFUSED = (int)Ipsec.IpsecError.ConnectionRefused;

    [Fact]
    public async Task ipsec_get_socket_channel_info_Protected_ChannelInfo_PinSamePeerOk_OtherPeerEkeyrejected()
    {
        using var ns = ScratchNamespace.Create();
        var (client, server) = await ModelPairAsync(ns);
        await using var cache = EspModel.Cache();
        var context = new IpsecApiContext(new IpsecChannelResolver(cache, new EspModel.KeyManager(EspModel.Peer("b.test"))));
        using (client)
        using (server)
        {
            Assert.Equal(0, ipsec_get_socket_channel_info(context, client, out var ci));
            Assert.Equal("b.test", ci!.ChannelInfo.IpsecPeerId);
            Assert.Equal(0, ipsec_get_channel_attr(ci, IPSEC_CI_IPSEC_OUTBOUND_SPI, out _, out var spi));
            Assert.Equal(new byte[] { 0xc0, 0xde, 0x00, 0x01 }, spi);

            // Leap of faith: what was seen is required next time; SPIs and created-at may change, the peer may not.
            Assert.Equal(0, ipsec_set_socket_channel_info(context, client, ci));
            Assert.Equal(0, ipsec_get_socket_channel_info(context, client, out _));

            var other = new ChannelInfoHandle(ChannelInfo.Empty.With(ChannelAttributeType.IpsecPeerId, Encoding.UTF8.GetBytes("mallory.test")));
            Assert.Equal(0, ipsec_set_socket_channel_info(context, client, other));
            Assert.Equal(EKEYREJECTED, ipsec_get_socket_channel_info(context, client, out var rejected));
            Assert.Null(rejected);
        }
    }

    [Fact]
    public async Task ipsec_get_socket_channel_info_PinnedPeer_IkeDaemonUnreachable_Econnrefused()
    {
        using var ns = ScratchNamespace.Create();
        var (client, server) = await ModelPairAsync(ns);
        await using var cache = EspModel.Cache();
        var context = new IpsecApiContext(new IpsecChannelResolver(cache, new EspModel.KeyManager(null, reachable: false)));
        using (client)
        using (server)
        {
            Assert.Equal(0, ipsec_get_socket_channel_info(context, client, out var unpinned)); // no pin: the channel, without a peer
            Assert.Null(unpinned!.ChannelInfo.IpsecPeerId);

            var pin = new ChannelInfoHandle(ChannelInfo.Empty.With(ChannelAttributeType.IpsecPeerId, Encoding.UTF8.GetBytes("b.test")));
            Assert.Equal(0, ipsec_set_socket_channel_info(context, client, pin));
            Assert.Equal(ECONNREFUSED, ipsec_get_socket_channel_info(context, client, out _));
        }
    }

    // A TCP connection 192.0.2.1:any -> 192.0.2.2:443, both addresses on the namespace's lo.
    private static async Task<(Socket Client, Socket Server)> ModelPairAsync(ScratchNamespace ns)
    {
        ns.Ip("addr", "add", "192.0.2.1/32", "dev", "lo");
        ns.Ip("addr", "add", "192.0.2.2/32", "dev", "lo");
        using var listener = NetworkNamespace.Run(ns.Name, () =>
        {
            var l = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            l.Bind(new IPEndPoint(EspModel.Remote, 443));
            l.Listen();
            return l;
        });
        var client = NetworkNamespace.Run(ns.Name, () =>
        {
            var c = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            c.Bind(new IPEndPoint(EspModel.Local, 0));
            return c;
        });
        await client.ConnectAsync(listener.LocalEndPoint!, TestContext.Current.CancellationToken);
        return (client, await listener.AcceptAsync(TestContext.Current.CancellationToken));
    }
}
