using CbbToolkit.Ipsec.Netlink;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Netlink;

public sealed class NetlinkWriterTests
{
    [Fact]
    public void NestedAttributes_LengthsBackPatched_PaddingIncludedInParentNotChild()
    {
        var w = new NetlinkWriter();
        var message = w.BeginMessage(0x13, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, 0x01020304);
        w.Reserve(3)[0] = 0xaa; // a fixed part that is not a multiple of 4
        var outer = w.BeginAttribute(0x8001);
        w.WriteAttribute(7, [1, 2, 3, 4, 5]);
        w.WriteAttributeUInt32(8, 0xdeadbeef);
        w.EndAttribute(outer);
        w.EndMessage(message);

        // nlmsghdr(16) | fixed 3 + pad 1 | outer hdr 4 | attr 7: hdr 4 + 5 + pad 3 | attr 8: hdr 4 + 4
        Assert.Equal(
            "2c000000" + "1300" + "0500" + "04030201" + "00000000" +
            "aa000000" +
            "18000180" +
            "0900" + "0700" + "0102030405000000" +
            "0800" + "0800" + "efbeadde",
            Convert.ToHexStringLower(w.WrittenSpan));
    }

    [Fact]
    public void OneOctetPayload_MessageLengthIsUnpadded()
    {
        // As the kernel and iproute2 do for xfrm_usersa_flush: nlmsg_len 17.
        var w = new NetlinkWriter();
        var token = w.BeginMessage(0x1c, NetlinkMessageFlags.Request, 0);
        w.Reserve(1)[0] = 50;
        w.EndMessage(token);
        Assert.Equal(17, w.Length);
        Assert.Equal(17, NetlinkMessageHeader.Read(w.WrittenSpan).Length);
    }

    [Fact]
    public void AttributeLongerThanNlaLen_MessageTooLarge()
    {
        var w = new NetlinkWriter();
        var token = w.BeginAttribute(1);
        w.Reserve(70_000);
        Assert.Equal(IpsecError.MessageTooLarge, Assert.Throws<IpsecException>(() => w.EndAttribute(token)).Error);
    }

    [Fact]
    public void Growth_KeepsWhatWasWritten()
    {
        var w = new NetlinkWriter(64);
        for (var i = 0; i < 1000; i++)
        {
            w.WriteAttributeUInt32((ushort)i, (uint)i);
        }

        var reader = new NetlinkAttributeReader(w.WrittenSpan);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(reader.TryRead(out var type, out var value));
            Assert.Equal((ushort)i, type);
            Assert.Equal((uint)i, BitConverter.ToUInt32(value));
        }

        Assert.False(reader.TryRead(out _, out _));
    }
}
