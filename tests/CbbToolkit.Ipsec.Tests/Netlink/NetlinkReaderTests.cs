using CbbToolkit.Ipsec.Netlink;
using CsCheck;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Netlink;

public sealed class NetlinkReaderTests
{
    [Theory]
    [InlineData("0f000000030002000100000000000000", "length 15")] // shorter than a header
    [InlineData("20000000030002000100000000000000", "length 32")] // longer than the datagram
    [InlineData("1000000003000200010000000000000000", "1 octets left")] // stray octet after a message
    public void BadMessageLengths_BadMessage(string hex, string detail)
    {
        var e = Assert.Throws<IpsecException>(() =>
        {
            var reader = new NetlinkReader(Convert.FromHexString(hex));
            while (reader.TryRead(out _, out _))
            {
            }
        });
        Assert.Equal(IpsecError.BadMessage, e.Error);
        Assert.Contains(detail, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0300", "stray octets")]
    [InlineData("03000100", "attribute length 3")]
    [InlineData("0900010001020304", "attribute length 9")]
    public void BadAttributeLengths_BadMessage(string hex, string detail)
    {
        var e = Assert.Throws<IpsecException>(() =>
        {
            var reader = new NetlinkAttributeReader(Convert.FromHexString(hex));
            while (reader.TryRead(out _, out _))
            {
            }
        });
        Assert.Equal(IpsecError.BadMessage, e.Error);
        Assert.Contains(detail, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AttributeType_FlagsMaskedOff()
    {
        var reader = new NetlinkAttributeReader(Convert.FromHexString("0800" + "05c0" + "01020304"));
        Assert.True(reader.TryRead(out var type, out var value));
        Assert.Equal(5, type);
        Assert.Equal([1, 2, 3, 4], value.ToArray());
    }

    [Fact]
    public void RandomOctets_ReadersEndOrThrowBadMessage() =>
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            try
            {
                var messages = new NetlinkReader(bytes);
                while (messages.TryRead(out _, out _))
                {
                }
            }
            catch (IpsecException e) when (e.Error == IpsecError.BadMessage)
            {
            }

            try
            {
                var attributes = new NetlinkAttributeReader(bytes);
                while (attributes.TryRead(out _, out _))
                {
                }
            }
            catch (IpsecException e) when (e.Error == IpsecError.BadMessage)
            {
            }
        }, iter: 20000);

    [Fact]
    public void CappedErrorWithExtendedAck_MessageAndOffsetRead()
    {
        // nlmsgerr: error -22, capped echo of a 16-octet header, then NLMSGERR_ATTR_MSG "bad" and NLMSGERR_ATTR_OFFS 40.
        var payload = Convert.FromHexString("eaffffff" + "2c000000130005000100000000000000" + "0800" + "0100" + "62616400" + "0800" + "0200" + "28000000");
        var error = NetlinkError.Parse(NetlinkMessageFlags.Capped | NetlinkMessageFlags.AckTlvs, payload);
        Assert.Equal(new NetlinkError(22, "bad", 40), error);
    }
}
