using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Ipsec.Netlink;
using CbbToolkit.Ipsec.Tests.Xfrm;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;
using CbbToolkit.Testing.Namespaces;

namespace CbbToolkit.Ipsec.Tests.Netlink;

public sealed class NetlinkSocketTests
{
    [Fact]
    public async Task DatagramLargerThanBuffer_MessageTooLarge_NeverSilentlyCut()
    {
        using var ns = ScratchNamespace.Create();
        for (var i = 0; i < 20; i++)
        {
            ns.IpLine($"xfrm policy add src 10.0.0.{i}/32 dst 10.1.0.0/16 dir out tmpl proto esp reqid {i}");
        }

        using var socket = NetworkNamespace.Run(ns.Name, () => NetlinkSocket.Open(XfrmClient.NetlinkXfrm, "NETLINK_XFRM"));
        await socket.SendAsync(XfrmRequests.Dump(XfrmMessageType.GetPolicy, 1).WrittenMemory, TestContext.Current.CancellationToken);

        var e = await Assert.ThrowsAsync<IpsecException>(async () => await socket.ReceiveAsync(new byte[256], TestContext.Current.CancellationToken));
        Assert.Equal(IpsecError.MessageTooLarge, e.Error);
        Assert.Contains("did not fit the 256-octet receive buffer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingNetlinkFamily_ProtocolOptionUnavailable()
    {
        // MAX_LINKS is 32: socket(AF_NETLINK, ..., 32) fails with EPROTONOSUPPORT, as a kernel without XFRM_USER would for 6.
        var e = Assert.Throws<IpsecException>(() => NetlinkSocket.Open(32, "NETLINK_32"));
        Assert.Equal(IpsecError.ProtocolOptionUnavailable, e.Error);
        Assert.Contains("NETLINK_32", e.Message, StringComparison.Ordinal);
    }
}
