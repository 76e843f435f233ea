using System.Net;
using System.Text.Json;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Xfrm;

public sealed class XfrmKeyTests
{
    private const string Hex = "0102030405060708090a0b0c0d0e0f1011121314";

    [Fact]
    public void ToStringAndJson_NeverShowKeyMaterial()
    {
        var key = XfrmKey.FromHex("0x" + Hex);
        var aead = new XfrmAeadAlgorithm("rfc4106(gcm(aes))", key, 128);
        var state = new XfrmState { Source = IPAddress.Loopback, Destination = IPAddress.Loopback, Spi = 1, Aead = aead };
        var base64 = Convert.ToBase64String(Convert.FromHexString(Hex));

        foreach (var text in (string[])[key.ToString(), aead.ToString(), state.ToString(), JsonSerializer.Serialize(aead), JsonSerializer.Serialize(key)])
        {
            Assert.DoesNotContain("0102030405", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(base64[..8], text, StringComparison.Ordinal);
        }

        Assert.Equal("[160-bit key redacted]", key.ToString());
        Assert.Contains("\"BitLength\":160", JsonSerializer.Serialize(key), StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_ByLengthAndOctets_HashRevealsLengthOnly()
    {
        var a = XfrmKey.FromHex(Hex);
        Assert.Equal(a, XfrmKey.FromHex("0X" + Hex.ToUpperInvariant()));
        Assert.NotEqual(a, XfrmKey.FromHex(Hex[..^2] + "15"));
        Assert.NotEqual(a, new XfrmKey(Convert.FromHexString(Hex), 153));
        Assert.Equal(160, a.GetHashCode());
    }

    [Theory]
    [InlineData("0x123")]
    [InlineData("zz")]
    public void FromHex_NotHexOctets_ArgumentException(string hex)
    {
        var e = Assert.Throws<ArgumentException>(() => XfrmKey.FromHex(hex));
        Assert.Equal("hex", e.ParamName);
        Assert.IsType<FormatException>(e.InnerException);
        Assert.Contains("even number of hex digits", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, 32)]
    [InlineData(4, 24)]
    [InlineData(0, 1)]
    public void BitLengthNotMatchingOctets_ArgumentOutOfRange(int octets, int bits) =>
        Assert.Equal("bitLength", Assert.Throws<ArgumentOutOfRangeException>(() => new XfrmKey(new byte[octets], bits)).ParamName);
}
