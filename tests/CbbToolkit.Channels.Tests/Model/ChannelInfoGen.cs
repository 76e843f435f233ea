using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Text;
using CbbToolkit.Channels;
using CsCheck;

namespace CbbToolkit.Channels.Tests.Model;

/// <summary>Generators of valid attribute values and channel information, built from docs/api.md's attribute table.</summary>
internal static class ChannelInfoGen
{
    /// <summary>A valid value for the attribute type (blobs kept short so per-prefix tests stay quick).</summary>
    public static Gen<byte[]> ValueFor(ChannelAttributeSpec spec) => spec.Type switch
    {
        ChannelAttributeType.TlsVersion => Gen.OneOfConst<ushort>(0x0303, 0x0304).Select(BigEndian16),
        ChannelAttributeType.TlsCipherSuite => Gen.UShort.Select(BigEndian16),
        ChannelAttributeType.TlsServerEndPoint => Gen.OneOfConst(32, 48, 64).SelectMany(n => Gen.Byte.Array[n]),
        ChannelAttributeType.ExtendedMasterSecret or ChannelAttributeType.QopIndeterminate => Gen.Byte[0, 1].Select(b => new[] { b }),
        ChannelAttributeType.PeerCertificate or ChannelAttributeType.LocalCertificate or ChannelAttributeType.IpsecPeerPublicKey =>
            Gen.Byte.Array[0, 200].Select(DerSequence),
        ChannelAttributeType.Role => Gen.Byte[1, 2].Select(b => new[] { b }),
        ChannelAttributeType.CreatedAt => Gen.Long[ChannelInfo.MinUnixMilliseconds, ChannelInfo.MaxUnixMilliseconds].Select(ms =>
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, ms);
            return bytes;
        }),
        ChannelAttributeType.IpsecPeerId or ChannelAttributeType.IpsecAlgorithms => Utf8Text(1, spec.MaxLength),
        ChannelAttributeType.IpsecAuthenticationMethod => Gen.Byte[0, 11].Select(b => new[] { b }),
        ChannelAttributeType.IpsecProtocol => Gen.OneOfConst<byte>(50, 51, 108).Select(b => new[] { b }),
        ChannelAttributeType.IpsecMode => Gen.Byte[0, 1].Select(b => new[] { b }),
        ChannelAttributeType.IpsecOutboundSpi or ChannelAttributeType.IpsecInboundSpi => Gen.UInt[1, uint.MaxValue].Select(BigEndian32),
        ChannelAttributeType.LatchState => Gen.Byte[1, 4].Select(b => new[] { b }),
        _ => Gen.Byte.Array[spec.MinLength, Math.Min(spec.MaxLength, 200)],
    };

    /// <summary>Channel information with a random subset of the attributes, each with a valid value.</summary>
    public static Gen<ChannelInfo> Info { get; } = Gen.Bool.Array[ChannelAttributeSpec.All.Count].SelectMany(mask =>
    {
        var gen = Gen.Const(ChannelInfo.Empty);
        for (var i = 0; i < mask.Length; i++)
        {
            if (mask[i])
            {
                var spec = ChannelAttributeSpec.All[i];
                var value = ValueFor(spec);
                gen = gen.SelectMany(info => value.Select(v => info.With(spec.Type, v)));
            }
        }

        return gen;
    });

    /// <summary>Channel information with every attribute present.</summary>
    public static Gen<ChannelInfo> Full { get; } = Gen.Const(0).SelectMany(_ =>
    {
        var gen = Gen.Const(ChannelInfo.Empty);
        foreach (var spec in ChannelAttributeSpec.All)
        {
            var value = ValueFor(spec);
            gen = gen.SelectMany(info => value.Select(v => info.With(spec.Type, v)));
        }

        return gen;
    });

    /// <summary>A DER SEQUENCE { OCTET STRING content }: the outer shape of a certificate or an SPKI.</summary>
    public static byte[] DerSequence(byte[] content)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteOctetString(content);
        }

        return writer.Encode();
    }

    /// <summary>Valid UTF-8 (any scalar value, no surrogates) of min..max octets.</summary>
    public static Gen<byte[]> Utf8Text(int min, int max) =>
        Gen.Int[0, 0x10FFFF].Where(c => c is < 0xD800 or > 0xDFFF).Array[1, 60].Select(scalars =>
        {
            var text = new StringBuilder();
            foreach (var s in scalars)
            {
                text.Append(new Rune(s).ToString());
            }

            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            return bytes.Length > max ? bytes[..max] : bytes;
        }).Where(b => b.Length >= min && System.Text.Unicode.Utf8.IsValid(b));

    private static byte[] BigEndian16(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
