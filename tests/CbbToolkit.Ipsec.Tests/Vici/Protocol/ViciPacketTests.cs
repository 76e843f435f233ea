using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Ipsec.Vici.Protocol;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Vici.Protocol;

public sealed class ViciPacketTests
{
    // Bytes follow the README's packet layer: 32-bit BE length, 8-bit type, for named types an 8-bit name length and
    // the ASCII name, then the message.
    [Theory]
    [InlineData((byte)ViciPacketType.CmdRequest, "version", "00000009" + "00" + "07" + "76657273696f6e")]
    [InlineData((byte)ViciPacketType.EventRegister, "list-sa", "00000009" + "03" + "07" + "6c6973742d7361")]
    [InlineData((byte)ViciPacketType.EventUnregister, "ike-updown", "0000000c" + "04" + "0a" + "696b652d7570646f776e")]
    [InlineData((byte)ViciPacketType.CmdResponse, null, "00000001" + "01")]
    [InlineData((byte)ViciPacketType.EventConfirm, null, "00000001" + "05")]
    public void Encode_ExactBytes(byte type, string? name, string hex)
    {
        Assert.Equal(Convert.FromHexString(hex), ViciPacket.Encode((ViciPacketType)type, name, null).ToArray());
    }

    [Fact]
    public void Encode_RequestWithArguments_AppendsTheMessage()
    {
        var segment = ViciPacket.Encode(ViciPacketType.CmdRequest, "terminate", new ViciMessage().Add("ike-id", 7L)).ToArray();

        // 03 06 "ike-id" 00 01 "7"
        Assert.Equal(Convert.FromHexString("00000016" + "00" + "09" + "7465726d696e617465" + "0306696b652d6964" + "000137"), segment);
    }

    [Theory]
    [InlineData("01", (byte)ViciPacketType.CmdResponse, null)]
    [InlineData("07" + "07" + "6c6973742d7361", (byte)ViciPacketType.Event, "list-sa")]
    public void Parse_SplitsTypeNameAndMessage(string hex, byte type, string? name)
    {
        var packet = ViciPacket.Parse(Convert.FromHexString(hex));
        Assert.Equal((ViciPacketType)type, packet.Type);
        Assert.Equal(name, packet.Name);
        Assert.Equal(0, packet.DecodeMessage().Count);
    }

    [Theory]
    [InlineData("", "empty packet")]
    [InlineData("08", "unknown packet type 8")]
    [InlineData("ff", "unknown packet type 255")]
    [InlineData("00", "without its name length")]
    [InlineData("0005766572", "name of 5 bytes but only 3 remain")]
    [InlineData("0700", "name is empty")]
    [InlineData("07" + "08" + "6c6973742d736100", "not printable ASCII")] // a name with a NUL
    [InlineData("01" + "03", "name length missing")] // a response whose message is cut short
    public void Parse_Malformed_Throws(string hex, string what)
    {
        var e = Assert.Throws<ViciProtocolException>(() => ViciPacket.Parse(Convert.FromHexString(hex)).DecodeMessage());
        Assert.Equal(IpsecError.BadMessage, e.Error);
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_RefusesPacketsOverTheSegmentLimit()
    {
        var big = new byte[ViciLimits.MaxValueLength];
        var writer = new ViciWriter(ViciPacketType.CmdRequest, "load-cert");
        var e = Assert.Throws<IpsecException>(() =>
        {
            for (var i = 0; i < 9; i++)
            {
                writer.KeyValue("k" + i, big);
            }
        });
        Assert.Equal(IpsecError.MessageTooLarge, e.Error);
    }

    [Fact]
    public void Writer_RefusesMisuse()
    {
        Assert.Throws<ArgumentException>(() => new ViciWriter(ViciPacketType.CmdRequest, null));
        Assert.Throws<ArgumentException>(() => new ViciWriter(ViciPacketType.CmdResponse, "x"));
        var w = new ViciWriter();
        Assert.Throws<ArgumentException>(() => w.KeyValue("", []));
        Assert.Throws<ArgumentException>(() => w.KeyValue("caf\u00e9", []));
        Assert.Throws<InvalidOperationException>(w.EndSection);
        w.BeginList("l");
        Assert.Throws<InvalidOperationException>(() => w.KeyValue("k", []));
        Assert.Throws<InvalidOperationException>(() => w.Finish());
        w.EndList();
        Assert.Equal(Convert.FromHexString("04016c06"), w.Finish().ToArray());
    }
}
