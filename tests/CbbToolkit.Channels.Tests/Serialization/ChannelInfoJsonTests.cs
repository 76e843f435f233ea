using System.Buffers.Binary;
using System.Net.Security;
using System.Text.Json;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Serialization;
using CbbToolkit.Channels.Tests.Model;
using CbbToolkit.Ipsec;
using CsCheck;
using Xunit;

namespace CbbToolkit.Channels.Tests.Serialization;

public sealed class ChannelInfoJsonTests
{
    [Fact]
    public void RoundTrip_Equal() =>
        Gen.Select(ChannelInfoGen.Info, Gen.Bool).Sample((info, indented) =>
        {
            var json = info.ToJson(indented);
            Assert.True(ChannelInfo.FromJson(json).Equals(info), json);
        }, iter: 1000);

    [Fact]
    public void ToJson_IsOneObjectKeyedBySpecNamesInTypeOrder() =>
        ChannelInfoGen.Info.Sample(info =>
        {
            using var doc = JsonDocument.Parse(info.ToJson());
            var keys = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
            var expected = info.AttributeTypes.Select(t => ChannelAttributeSpec.All.Single(s => s.Type == t).Name).ToArray();
            Assert.Equal(expected, keys);
        }, iter: 200);

    // Every value kind read back by an independent JSON parser (System.Text.Json's DOM) and the BCL's own converters.
    [Fact]
    public void ToJson_ValuesAreReadable()
    {
        var exporter = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        var certificate = ChannelInfoGen.DerSequence([1, 2, 3]);
        var created = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var createdBytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(createdBytes, created.ToUnixTimeMilliseconds());
        var info = ChannelInfo.Empty
            .With(ChannelAttributeType.TlsVersion, [0x03, 0x04])
            .With(ChannelAttributeType.TlsCipherSuite, BigEndian((ushort)TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256))
            .With(ChannelAttributeType.TlsExporter, exporter)
            .With(ChannelAttributeType.ExtendedMasterSecret, [1])
            .With(ChannelAttributeType.PeerCertificate, certificate)
            .With(ChannelAttributeType.Role, [2])
            .With(ChannelAttributeType.CreatedAt, createdBytes)
            .With(ChannelAttributeType.IpsecPeerId, "CN=moon, O=\"x\" é"u8)
            .With(ChannelAttributeType.IpsecAuthenticationMethod, [11])
            .With(ChannelAttributeType.IpsecProtocol, [50])
            .With(ChannelAttributeType.IpsecMode, [1])
            .With(ChannelAttributeType.IpsecOutboundSpi, [0xc0, 0x01, 0x00, 0x2a])
            .With(ChannelAttributeType.IpsecRequestId, [0, 0, 1, 0])
            .With(ChannelAttributeType.LatchState, [3])
            .With(ChannelAttributeType.QopIndeterminate, [0]);

        var root = JsonDocument.Parse(info.ToJson()).RootElement;
        Assert.Equal("1.3", root.GetProperty("tls-version").GetString());
        Assert.Equal(nameof(TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256), root.GetProperty("tls-cipher-suite").GetString());
        Assert.Equal(Convert.ToHexStringLower(exporter), root.GetProperty("tls-exporter").GetString());
        Assert.True(root.GetProperty("extended-master-secret").GetBoolean());
        Assert.Equal(certificate, root.GetProperty("peer-certificate").GetBytesFromBase64());
        Assert.Equal("server", root.GetProperty("role").GetString());
        Assert.Equal(created, root.GetProperty("created-at").GetDateTimeOffset());
        Assert.EndsWith("Z", root.GetProperty("created-at").GetString(), StringComparison.Ordinal);
        Assert.Equal("CN=moon, O=\"x\" é", root.GetProperty("ipsec-peer-id").GetString());
        Assert.Equal("raw-public-key", root.GetProperty("ipsec-auth-method").GetString());
        Assert.Equal("esp", root.GetProperty("ipsec-protocol").GetString());
        Assert.Equal("tunnel", root.GetProperty("ipsec-mode").GetString());
        Assert.Equal("0xc001002a", root.GetProperty("ipsec-outbound-spi").GetString());
        Assert.Equal(256u, root.GetProperty("ipsec-reqid").GetUInt32());
        Assert.Equal("broken", root.GetProperty("latch-state").GetString());
        Assert.False(root.GetProperty("qop-indeterminate").GetBoolean());
    }

    [Fact]
    public void CipherSuite_EveryCodePointRoundTrips() =>
        Gen.UShort.Sample(suite =>
        {
            var info = ChannelInfo.Empty.With(ChannelAttributeType.TlsCipherSuite, BigEndian(suite));
            var text = JsonDocument.Parse(info.ToJson()).RootElement.GetProperty("tls-cipher-suite").GetString()!;
            Assert.Equal(Enum.IsDefined((TlsCipherSuite)suite) ? ((TlsCipherSuite)suite).ToString() : $"0x{suite:x4}", text);
            Assert.Equal((TlsCipherSuite)suite, ChannelInfo.FromJson(info.ToJson()).CipherSuite);
        }, iter: 3000);

    [Theory]
    [InlineData("{}", true)]
    [InlineData(" { } \n", true)]
    [InlineData("{\"tls-version\":\"1.2\"}", true)]
    [InlineData("{\"tls-cipher-suite\":\"0x1301\"}", true)]
    [InlineData("{\"created-at\":\"2024-02-29T23:59:59.123+02:00\"}", true)]
    [InlineData("{\"tls-version\":\"1.1\"}", false)]
    [InlineData("{\"tls-version\":1.3}", false)]
    [InlineData("{\"tls-version\":null}", false)]
    [InlineData("{\"tls-version\":\"1.3\",\"tls-version\":\"1.3\"}", false)]
    [InlineData("{\"tlsVersion\":\"1.3\"}", false)]
    [InlineData("{\"TLS-VERSION\":\"1.3\"}", false)]
    [InlineData("{\"tls-cipher-suite\":\"tls_aes_128_gcm_sha256\"}", false)]
    [InlineData("{\"tls-cipher-suite\":\"0x13\"}", false)]
    [InlineData("{\"tls-cipher-suite\":\"4865\"}", false)]
    [InlineData("{\"tls-exporter\":\"00\"}", false)] // the length rule
    [InlineData("{\"tls-unique\":\"000102030405060708090A0B\"}", false)] // upper-case hex
    [InlineData("{\"tls-unique\":\"000102030405060708090a0\"}", false)] // odd digits
    [InlineData("{\"tls-unique\":\"000102030405060708090a0g\"}", false)]
    [InlineData("{\"tls-unique\":\"0x0102030405060708090a0b0c\"}", false)]
    [InlineData("{\"peer-certificate\":\"MAA=\"}", true)] // 30 00
    [InlineData("{\"peer-certificate\":\"MAA\"}", false)] // missing padding
    [InlineData("{\"peer-certificate\":\"MA A=\"}", false)] // whitespace
    [InlineData("{\"peer-certificate\":\"MAB=\"}", false)] // non-zero trailing bits
    [InlineData("{\"peer-certificate\":\"BAA=\"}", false)] // 04 00: not a SEQUENCE
    [InlineData("{\"peer-certificate\":\"\"}", false)]
    [InlineData("{\"extended-master-secret\":1}", false)]
    [InlineData("{\"extended-master-secret\":\"true\"}", false)]
    [InlineData("{\"role\":\"Client\"}", false)]
    [InlineData("{\"created-at\":\"2024-02-29T23:59:59.1234Z\"}", false)] // sub-millisecond
    [InlineData("{\"created-at\":\"yesterday\"}", false)]
    [InlineData("{\"created-at\":\"2024-02-29T23:59:59.123\"}", false)] // no offset: would depend on the local zone
    [InlineData("{\"created-at\":\"2024-02-29\"}", false)]
    [InlineData("{\"created-at\":\"2024-02-29T23:59:59-05:30\"}", true)]
    [InlineData("{\"created-at\":1700000000000}", false)]
    [InlineData("{\"ipsec-reqid\":-1}", false)]
    [InlineData("{\"ipsec-reqid\":1.5}", false)]
    [InlineData("{\"ipsec-reqid\":4294967296}", false)]
    [InlineData("{\"ipsec-reqid\":\"1\"}", false)]
    [InlineData("{\"ipsec-outbound-spi\":\"0x00000000\"}", false)] // SPI 0 rule
    [InlineData("{\"ipsec-outbound-spi\":\"0xC001002A\"}", false)]
    [InlineData("{\"ipsec-outbound-spi\":\"c001002a\"}", false)]
    [InlineData("{\"ipsec-peer-id\":\"\"}", false)]
    [InlineData("{\"ipsec-peer-id\":\"\\ud800\"}", false)] // escape of a lone surrogate
    [InlineData("{\"ipsec-peer-id\":[\"a\"]}", false)]
    [InlineData("{\"latch-state\":\"open\"}", false)]
    [InlineData("[]", false)]
    [InlineData("\"x\"", false)]
    [InlineData("", false)]
    [InlineData("{", false)]
    [InlineData("{}{}", false)]
    [InlineData("{} x", false)]
    [InlineData("{\"role\":\"client\",}", false)]
    [InlineData("{/*c*/}", false)]
    [InlineData("{\"role\":{\"x\":1}}", false)]
    public void FromJson_StrictAboutKeysAndValues(string json, bool valid)
    {
        if (valid)
        {
            var info = ChannelInfo.FromJson(json);
            Assert.True(ChannelInfo.FromJson(info.ToJson()).Equals(info));
        }
        else
        {
            var e = Assert.Throws<ChannelInfoFormatException>(() => ChannelInfo.FromJson(json));
            Assert.Equal(IpsecError.BadMessage, e.Error);
            Assert.InRange(e.Offset, 0, System.Text.Encoding.UTF8.GetByteCount(json));
        }
    }

    [Fact]
    public void FromJson_ErrorNamesTheKeyAndOffset()
    {
        const string json = "{\"role\":\"client\", \"tls-exporter\":\"00\"}";
        var e = Assert.Throws<ChannelInfoFormatException>(() => ChannelInfo.FromJson(json));
        Assert.Equal(json.IndexOf("\"00\"", StringComparison.Ordinal), e.Offset);
        Assert.Contains("tls-exporter", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_LoneSurrogateInTheString_Rejected()
    {
        var e = Assert.Throws<ChannelInfoFormatException>(() => ChannelInfo.FromJson("{\"ipsec-peer-id\":\"\ud800\"}"));
        Assert.Equal(IpsecError.BadMessage, e.Error);
    }

    [Fact]
    public void FromJson_TooLong_RejectedBeforeParsing()
    {
        var json = "{\"ipsec-peer-id\":\"" + new string('a', ChannelInfoJson.MaxLength) + "\"}";
        var e = Assert.Throws<ChannelInfoFormatException>(() => ChannelInfo.FromJson(json));
        Assert.Equal(0, e.Offset);
    }

    [Fact]
    public void FromJson_Null_ArgumentNullException() => Assert.Throws<ArgumentNullException>(() => ChannelInfo.FromJson(null!));

    // Random edits of valid JSON text: parsed or ChannelInfoFormatException, nothing else.
    [Fact]
    public void CorruptedText_RejectedWithTheTypedErrorOnly() =>
        Gen.Select(ChannelInfoGen.Info, Gen.Select(Gen.Int.NonNegative, Gen.Char, Gen.Int[0, 2]).Array[1, 4])
            .Sample((info, edits) =>
            {
                var text = new System.Text.StringBuilder(info.ToJson());
                foreach (var (at, c, how) in edits)
                {
                    var i = at % (text.Length + 1);
                    switch (how)
                    {
                        case 0 when i < text.Length:
                            text[i] = c;
                            break;
                        case 1:
                            text.Insert(i, c);
                            break;
                        default:
                            if (i < text.Length)
                            {
                                text.Remove(i, 1);
                            }

                            break;
                    }
                }

                try
                {
                    var parsed = ChannelInfo.FromJson(text.ToString());
                    Assert.True(ChannelInfo.Parse(parsed.ToBytes()).Equals(parsed));
                }
                catch (ChannelInfoFormatException e)
                {
                    Assert.Equal(IpsecError.BadMessage, e.Error);
                }
            }, iter: 5000);

    private static byte[] BigEndian(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return bytes;
    }
}
