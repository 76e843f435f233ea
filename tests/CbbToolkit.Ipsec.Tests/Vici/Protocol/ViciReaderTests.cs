using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Ipsec.Vici.Protocol;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Vici.Protocol;

public sealed class ViciReaderTests
{
    /// <summary>The encoding example of strongSwan's vici README ("Encoding example"), transcribed from its C array.</summary>
    internal static readonly byte[] ReadmeExample =
    [
        /* key1 = value1 */
        3, 4, (byte)'k', (byte)'e', (byte)'y', (byte)'1', 0, 6, (byte)'v', (byte)'a', (byte)'l', (byte)'u', (byte)'e', (byte)'1',
        /* section1 */
        1, 8, (byte)'s', (byte)'e', (byte)'c', (byte)'t', (byte)'i', (byte)'o', (byte)'n', (byte)'1',
        /* sub-section */
        1, 11, (byte)'s', (byte)'u', (byte)'b', (byte)'-', (byte)'s', (byte)'e', (byte)'c', (byte)'t', (byte)'i', (byte)'o', (byte)'n',
        /* key2 = value2 */
        3, 4, (byte)'k', (byte)'e', (byte)'y', (byte)'2', 0, 6, (byte)'v', (byte)'a', (byte)'l', (byte)'u', (byte)'e', (byte)'2',
        /* sub-section end */
        2,
        /* list1 */
        4, 5, (byte)'l', (byte)'i', (byte)'s', (byte)'t', (byte)'1',
        /* item1 */
        5, 0, 5, (byte)'i', (byte)'t', (byte)'e', (byte)'m', (byte)'1',
        /* item2 */
        5, 0, 5, (byte)'i', (byte)'t', (byte)'e', (byte)'m', (byte)'2',
        /* list1 end */
        6,
        /* section1 end */
        2,
    ];

    [Fact]
    public void ReadmeExample_ReadsTheDocumentedTree()
    {
        var m = ViciMessageCodec.Decode(ReadmeExample);

        Assert.Equal(["key1", "section1"], m.Entries.Select(e => e.Name));
        Assert.Equal("value1", m.GetString("key1"));
        var section1 = m.GetSection("section1")!;
        Assert.Equal("value2", section1.GetSection("sub-section")!.GetString("key2"));
        Assert.Equal(["item1", "item2"], section1.GetList("list1"));
        Assert.Equal("section1/sub-section", section1.GetSection("sub-section")!.Path);
    }

    [Fact]
    public void ReadmeExample_WriterProducesTheDocumentedBytes()
    {
        var m = new ViciMessage()
            .Add("key1", "value1")
            .AddSection("section1", new ViciMessage()
                .AddSection("sub-section", new ViciMessage().Add("key2", "value2"))
                .AddList("list1", ["item1", "item2"]));

        Assert.Equal(ReadmeExample, ViciMessageCodec.Encode(m).ToArray());
    }

    [Theory]
    [InlineData("03046b6579310000", "key1 = \"\"")] // an empty value is allowed
    [InlineData("0405656d70747906", "empty = []")] // an empty list is allowed
    [InlineData("0101730101730202", "s { s { } }")] // the same name at different levels is allowed
    public void SmallValidMessages_Accepted(string hex, string what)
    {
        var bytes = Convert.FromHexString(hex);
        var m = ViciMessageCodec.Decode(bytes);
        Assert.True(m.Count == 1, what);
        Assert.Equal(bytes, ViciMessageCodec.Encode(m).ToArray());
    }

    [Theory]
    [InlineData("00", 0, "unknown element type 0")]
    [InlineData("07", 0, "unknown element type 7")]
    [InlineData("ff", 0, "unknown element type 255")]
    [InlineData("03", 0, "name length missing")]
    [InlineData("0305616263", 0, "name of 5 bytes but only 3 remain")]
    [InlineData("030000016b", 0, "empty name")]
    [InlineData("0301ff0000", 0, "not printable ASCII")]
    [InlineData("0301000000", 0, "not printable ASCII")]
    [InlineData("03016b00", 0, "value length missing")]
    [InlineData("03016b0005616263", 0, "value of 5 bytes but only 3 remain")]
    [InlineData("02", 0, "SECTION_END without an open section")]
    [InlineData("010173", 3, "1 section(s) open")]
    [InlineData("0401610401620606", 3, "lists may not nest")]
    [InlineData("040161030161000006", 3, "KEY_VALUE inside a list")]
    [InlineData("04016101016202", 3, "SECTION_START inside a list")]
    [InlineData("0401610206", 3, "SECTION_END inside a list")]
    [InlineData("0500016b", 0, "LIST_ITEM outside a list")]
    [InlineData("06", 0, "LIST_END without an open list")]
    [InlineData("0401610500016b", 7, "ends inside a list")]
    [InlineData("03016b0000" + "03016b0000", 5, "appears twice")]
    [InlineData("03016b0000" + "04016b06", 5, "appears twice")]
    [InlineData("03016b0000" + "01016b02", 5, "appears twice")]
    public void Malformed_ThrowsWithWhatAndWhere(string hex, int offset, string what)
    {
        var e = Assert.Throws<ViciProtocolException>(() => ViciMessageCodec.Decode(Convert.FromHexString(hex)));
        Assert.Equal(IpsecError.BadMessage, e.Error);
        Assert.Equal(offset, e.Offset);
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NestingDeeperThanTheLimit_Rejected()
    {
        var ok = Nested(ViciLimits.MaxDepth);
        Assert.Equal(1, ViciMessageCodec.Decode(ok).Count);

        var e = Assert.Throws<ViciProtocolException>(() => ViciMessageCodec.Decode(Nested(ViciLimits.MaxDepth + 1)));
        Assert.Contains("deeper", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorOffsets_CountFromThePacketStart()
    {
        var e = Assert.Throws<ViciProtocolException>(() => ViciMessageCodec.Decode(Convert.FromHexString("02"), baseOffset: 9));
        Assert.Equal(9, e.Offset);
    }

    private static byte[] Nested(int depth)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < depth; i++)
        {
            bytes.AddRange([1, 1, (byte)'s']);
        }

        bytes.AddRange(Enumerable.Repeat((byte)2, depth));
        return [.. bytes];
    }
}
