using System.Buffers.Binary;
using System.Text;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Serialization;
using CbbToolkit.Channels.Tests.Model;
using CbbToolkit.Ipsec;
using CsCheck;
using Xunit;

namespace CbbToolkit.Channels.Tests.Serialization;

public sealed class ChannelInfoBinaryFormatTests
{
    [Fact]
    public void Empty_IsHeaderOnly()
    {
        // docs/api.md: "CBCI", version 1, attribute count 0.
        Assert.Equal([.. "CBCI"u8, 1, 0, 0], ChannelInfo.Empty.ToBytes());
        Assert.Same(ChannelInfo.Empty, ChannelInfo.Parse([.. "CBCI"u8, 1, 0, 0]));
    }

    [Fact]
    public void Layout_IsTheDocumentedOne()
    {
        var exporter = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var info = ChannelInfo.Empty
            .With(ChannelAttributeType.Role, [1])
            .With(ChannelAttributeType.TlsExporter, exporter)
            .With(ChannelAttributeType.TlsVersion, [0x03, 0x04]);

        // Assembled field by field from docs/api.md, types ascending: 1 tls-version, 3 tls-exporter, 11 role.
        byte[] expected =
        [
            .. "CBCI"u8, 1, 0, 3,
            0, 1, 0, 0, 0, 2, 0x03, 0x04,
            0, 3, 0, 0, 0, 32, .. exporter,
            0, 11, 0, 0, 0, 1, 1,
        ];
        Assert.Equal(expected, info.ToBytes());
        Assert.Equal(expected.Length, info.GetSerializedLength());
        Assert.True(ChannelInfo.Parse(expected).Equals(info));
    }

    [Fact]
    public void RoundTrip_ParseGivesEqualInfoAndSameBytes() =>
        ChannelInfoGen.Info.Sample(info =>
        {
            var bytes = info.ToBytes();
            Assert.Equal(info.GetSerializedLength(), bytes.Length);
            var parsed = ChannelInfo.Parse(bytes);
            Assert.True(parsed.Equals(info));
            Assert.Equal(bytes, parsed.ToBytes());
            Assert.True(ChannelInfo.TryParse(bytes, out var again) && again.Equals(info));
        }, iter: 1000);

    [Fact]
    public void WriteTo_WritesTheSameBytesAndRejectsShortBuffers() =>
        ChannelInfoGen.Info.Sample(info =>
        {
            var bytes = info.ToBytes();
            var buffer = new byte[bytes.Length + 3];
            Assert.Equal(bytes.Length, info.WriteTo(buffer));
            Assert.Equal(bytes, buffer[..bytes.Length]);

            var shortBuffer = new byte[bytes.Length - 1];
            Assert.False(info.TryWriteTo(shortBuffer, out var written));
            Assert.Equal(0, written);
            Assert.All(shortBuffer, b => Assert.Equal(0, b));
            Assert.Equal(IpsecError.MessageTooLarge, Assert.Throws<IpsecException>(() => info.WriteTo(shortBuffer)).Error);
        }, iter: 200);

    [Fact]
    public void EveryTruncation_Rejected() =>
        ChannelInfoGen.Info.Sample(info =>
        {
            var bytes = info.ToBytes();
            for (var length = 0; length < bytes.Length; length++)
            {
                var e = Assert.Throws<ChannelInfoFormatException>(() => ChannelInfo.Parse(bytes.AsSpan(0, length)));
                Assert.Equal(IpsecError.BadMessage, e.Error);
                Assert.InRange(e.Offset, 0, length);
                Assert.False(ChannelInfo.TryParse(bytes.AsSpan(0, length), out var none));
                Assert.Null(none);
            }
        }, iter: 150);

    [Fact]
    public void ByteCorruptions_RejectedOrCanonical() =>
        Gen.Select(ChannelInfoGen.Info, Gen.Select(Gen.Int.NonNegative, Gen.Byte[1, 255]).Array[1, 4])
            .Sample((info, edits) =>
            {
                var bytes = info.ToBytes();
                foreach (var (at, xor) in edits)
                {
                    bytes[at % bytes.Length] ^= xor;
                }

                AssertRejectedOrCanonical(bytes);
            }, iter: 5000);

    [Fact]
    public void InsertionsAndDeletions_RejectedOrCanonical() =>
        Gen.Select(ChannelInfoGen.Info, Gen.Int.NonNegative, Gen.Byte.Array[0, 8], Gen.Int[0, 8])
            .Sample((info, at, insert, delete) =>
            {
                var bytes = info.ToBytes().ToList();
                var position = at % (bytes.Count + 1);
                bytes.RemoveRange(position, Math.Min(delete, bytes.Count - position));
                bytes.InsertRange(position, insert);
                AssertRejectedOrCanonical([.. bytes]);
            }, iter: 3000);

    [Fact]
    public void RandomGarbage_RejectedOrCanonical() =>
        Gen.Select(Gen.Bool, Gen.Byte.Array[0, 600]).Sample((withHeader, garbage) =>
            AssertRejectedOrCanonical(withHeader ? [.. "CBCI"u8, 1, .. garbage] : garbage), iter: 5000);

    // A valid header and attribute headers with random types and lengths: reaches the per-attribute checks.
    [Fact]
    public void RandomAttributeHeaders_RejectedOrCanonical() =>
        Gen.Select(Gen.UShort[0, 50], Gen.Int[0, 80], Gen.Byte.Array[0, 80]).Array[0, 6].Sample(fields =>
        {
            var bytes = new List<byte>([.. "CBCI"u8, 1, 0, (byte)fields.Length]);
            foreach (var (type, length, value) in fields)
            {
                bytes.AddRange([(byte)(type >> 8), (byte)type, 0, 0, 0, (byte)length]);
                bytes.AddRange(value);
            }

            AssertRejectedOrCanonical([.. bytes]);
        }, iter: 5000);

    [Theory]
    [InlineData("", 0, "magic")]
    [InlineData("43424349", 4, "version")]
    [InlineData("4342434a010000", 0, "magic")]
    [InlineData("43424349020000", 4, "version 2")]
    [InlineData("434243490100", 5, "count")]
    [InlineData("4342434901ff", 5, "count")]
    [InlineData("4342434901000100", 7, "header of attribute 1")]
    [InlineData("43424349010100", 5, "types are defined")]
    [InlineData("43424349010001000d00000001", 7, "not defined")] // type 13 does not exist
    [InlineData("43424349010001000b0000000203", 9, "exactly 1")] // role with 2 octets
    [InlineData("43424349010001000b0000000103", 13, "1 (client) or 2 (server)")]
    [InlineData("43424349010001000b00000001", 13, "truncated in the value")]
    [InlineData("43424349010002000b0000000101000b0000000102", 14, "twice")]
    [InlineData("43424349010002000b000000010100010000000203", 14, "ascending")]
    [InlineData("43424349010001000b000000010100", 14, "after the last attribute")]
    [InlineData("43424349010001000bffffffff", 9, "got 4294967295")]
    [InlineData("434243490100000000", 7, "after the last attribute")]
    public void Malformed_NamesOffsetAndProblem(string hex, long offset, string problem)
    {
        var e = Assert.Throws<ChannelInfoFormatException>(() => ChannelInfo.Parse(Convert.FromHexString(hex)));
        Assert.Equal(IpsecError.BadMessage, e.Error);
        Assert.Equal(offset, e.Offset);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.Contains($"offset {offset}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongestEncoding_RoundTripsAndOneMoreOctetIsRejected()
    {
        var info = ChannelInfo.Empty;
        foreach (var spec in ChannelAttributeSpec.All)
        {
            info = info.With(spec.Type, LongestValue(spec));
        }

        var bytes = info.ToBytes();
        Assert.Equal(ChannelInfo.MaxSerializedLength, bytes.Length);
        Assert.True(ChannelInfo.Parse(bytes).Equals(info));

        var tooLong = new byte[bytes.Length + 1];
        bytes.CopyTo(tooLong, 0);
        var e = Assert.Throws<ChannelInfoFormatException>(() => ChannelInfo.Parse(tooLong));
        Assert.Equal(0, e.Offset);
        Assert.Contains("more than", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatException_IsAnIpsecExceptionWithBadMessage()
    {
        var e = Assert.Throws<ChannelInfoFormatException>(() => ChannelInfo.Parse("nope"u8));
        Assert.IsAssignableFrom<IpsecException>(e);
        Assert.Equal(74, (int)e.Error); // EBADMSG on Linux
    }

    // A value at the spec's maximum length that the value rules accept.
    private static byte[] LongestValue(ChannelAttributeSpec spec)
    {
        var bytes = new byte[spec.MaxLength];
        switch (spec.Type)
        {
            case ChannelAttributeType.TlsVersion:
                BinaryPrimitives.WriteUInt16BigEndian(bytes, 0x0304);
                break;
            case ChannelAttributeType.PeerCertificate or ChannelAttributeType.LocalCertificate or ChannelAttributeType.IpsecPeerPublicKey:
                // SEQUENCE (4-octet header) { OCTET STRING (4-octet header) { content } } filling the maximum exactly.
                bytes = ChannelInfoGen.DerSequence(new byte[spec.MaxLength - 8]);
                break;
            case ChannelAttributeType.Role or ChannelAttributeType.LatchState or ChannelAttributeType.IpsecProtocol:
                bytes[0] = spec.Type == ChannelAttributeType.IpsecProtocol ? (byte)50 : (byte)1;
                break;
            case ChannelAttributeType.IpsecPeerId or ChannelAttributeType.IpsecAlgorithms:
                bytes = Encoding.UTF8.GetBytes(new string('a', spec.MaxLength));
                break;
            case ChannelAttributeType.IpsecOutboundSpi or ChannelAttributeType.IpsecInboundSpi:
                bytes[3] = 1;
                break;
        }

        Assert.Equal(spec.MaxLength, bytes.Length);
        return bytes;
    }

    // The canonical-form property: what parses re-serializes to exactly the input; the rest fails with the typed error only.
    internal static void AssertRejectedOrCanonical(byte[] bytes)
    {
        ChannelInfo parsed;
        try
        {
            parsed = ChannelInfo.Parse(bytes);
        }
        catch (ChannelInfoFormatException e)
        {
            Assert.Equal(IpsecError.BadMessage, e.Error);
            Assert.InRange(e.Offset, 0, bytes.Length);
            Assert.False(ChannelInfo.TryParse(bytes, out _));
            return;
        }

        Assert.Equal(bytes, parsed.ToBytes());
        Assert.True(ChannelInfo.TryParse(bytes, out var again) && again.Equals(parsed));
        Assert.True(ChannelInfo.FromJson(parsed.ToJson()).Equals(parsed)); // every accepted value is one the JSON form can carry
    }
}
