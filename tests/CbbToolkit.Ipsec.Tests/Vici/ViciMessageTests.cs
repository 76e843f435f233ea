using System.Text;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Ipsec.Vici.Protocol;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Vici;

public sealed class ViciMessageTests
{
    [Fact]
    public void TypedGetters_ParseCharonsFormats()
    {
        var m = Decode(new ViciMessage()
            .Add("spi-in", "0dcfb70a")
            .Add("initiator-spi", "f1e99d5b47a3b637")
            .Add("reqid", "4294967295")
            .Add("rekey-time", "-12")
            .Add("bytes-in", "18446744073709551615")
            .Add("initiator", "yes")
            .Add("esn", "1"));

        Assert.Equal(0x0dcfb70au, m.GetHexUInt32("spi-in"));
        Assert.Equal(0xf1e99d5b47a3b637ul, m.GetHexUInt64("initiator-spi"));
        Assert.Equal(uint.MaxValue, m.GetUInt32("reqid"));
        Assert.Equal(-12, m.GetInt64("rekey-time"));
        Assert.Equal(ulong.MaxValue, m.GetUInt64("bytes-in"));
        Assert.True(m.GetBoolean("initiator"));
        Assert.True(m.GetBoolean("esn"));
        Assert.False(m.GetBoolean("nat-local"));
        Assert.Null(m.GetString("absent"));
        Assert.Null(m.GetUInt32("absent"));
    }

    [Theory]
    [InlineData("reqid", "4294967296")] // does not fit 32 bits
    [InlineData("reqid", "-1")]
    [InlineData("reqid", " 1")]
    [InlineData("reqid", "0x1")]
    [InlineData("spi-in", "1g")]
    [InlineData("spi-in", "100000000")]
    [InlineData("up", "maybe")]
    public void MalformedValues_BadMessageNamingTheKey(string key, string value)
    {
        var m = Decode(new ViciMessage().AddSection("lab", new ViciMessage().Add(key, value))).GetSection("lab")!;
        var e = Assert.Throws<ViciProtocolException>(() => key switch
        {
            "reqid" => m.GetUInt32(key),
            "spi-in" => m.GetHexUInt32(key),
            _ => (object)m.GetBoolean(key),
        });
        Assert.Contains("lab/" + key, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongShape_BadMessage()
    {
        var m = Decode(new ViciMessage().AddSection("s", new ViciMessage()).AddList("l", ["x"]).Add("k", "v"));
        Assert.Throws<ViciProtocolException>(() => m.GetString("s"));
        Assert.Throws<ViciProtocolException>(() => m.GetSection("l"));
        Assert.Throws<ViciProtocolException>(() => m.GetList("k"));
        Assert.Throws<ViciProtocolException>(() => m.GetRequiredString("absent"));
    }

    [Fact]
    public void InvalidUtf8_BadMessage_NotReplacementCharacters()
    {
        // Two different identities must never decode to the same string.
        var m = new ViciMessage().Add("remote-id", (ReadOnlyMemory<byte>)new byte[] { 0x61, 0xff });
        var e = Assert.Throws<ViciProtocolException>(() => Decode(m).GetString("remote-id"));
        Assert.Contains("remote-id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf8Values_RoundTrip()
    {
        Assert.Equal("CN=Zürich", Decode(new ViciMessage().Add("id", "CN=Zürich")).GetString("id"));
    }

    [Fact]
    public void Building_RefusesDuplicatesBadNamesAndCycles()
    {
        var m = new ViciMessage().Add("k", "v");
        Assert.Throws<ArgumentException>(() => m.Add("k", "w"));
        Assert.Throws<ArgumentException>(() => m.AddList("k", ["w"]));
        Assert.Throws<ArgumentException>(() => m.Add("", "w"));
        Assert.Throws<ArgumentException>(() => m.Add(new string('n', 256), "w"));
        Assert.Throws<ArgumentException>(() => m.Add("tab\t", "w"));
        Assert.Throws<ArgumentException>(() => m.Add("big", (ReadOnlyMemory<byte>)new byte[65536]));
        Assert.Throws<ArgumentException>(() => m.AddSection("self", m));
        var child = new ViciMessage();
        m.AddSection("child", child);
        Assert.Throws<ArgumentException>(() => child.AddSection("parent", m));
    }

    [Fact]
    public void ToString_ShowsStructureButNoValues()
    {
        var secret = "-----BEGIN PRIVATE KEY----- c2VjcmV0";
        var m = new ViciMessage().Add("type", "ECDSA").Add("data", secret).AddList("owners", ["a.test"]);
        var text = m.ToString();

        Assert.Contains("data", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ECDSA", text, StringComparison.Ordinal);
        Assert.DoesNotContain("a.test", text, StringComparison.Ordinal);
        Assert.Contains($"<{Encoding.UTF8.GetByteCount(secret)} bytes>", text, StringComparison.Ordinal);
    }

    private static ViciMessage Decode(ViciMessage m) => ViciMessageCodec.Decode(ViciMessageCodec.Encode(m));
}
