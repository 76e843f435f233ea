using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Globalization;
using System.Text.Unicode;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Latching;

namespace CbbToolkit.Channels;

// The one rule set for attribute values: With (the attribute API), the binary parser and the JSON reader all call
// CheckValue, so a value one of them accepts is a value all of them accept (docs/api.md, "Channel attributes").
public sealed partial class ChannelInfo
{
    /// <summary>The earliest <see cref="CreatedAt"/> a <see cref="DateTimeOffset"/> can hold, in Unix milliseconds.</summary>
    internal static readonly long MinUnixMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();

    /// <summary>The latest <see cref="CreatedAt"/> a <see cref="DateTimeOffset"/> can hold, in Unix milliseconds.</summary>
    internal static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>Returns null when the type admits the value, otherwise what is wrong with it (never the value itself).</summary>
    internal static string? CheckValue(ChannelAttributeSpec spec, ReadOnlySpan<byte> value)
    {
        if (!spec.AllowsLength(value.Length))
        {
            return $"{spec.Name} ({(ushort)spec.Type}) takes {LengthText(spec)}, got {value.Length}";
        }

        var problem = spec.Type switch
        {
            ChannelAttributeType.TlsVersion => BinaryPrimitives.ReadUInt16BigEndian(value) is 0x0303 or 0x0304
                ? null
                : "takes 0x0303 (TLS 1.2) or 0x0304 (TLS 1.3)",
            ChannelAttributeType.TlsServerEndPoint => value.Length is 32 or 48 or 64
                ? null
                : "is a SHA-256, SHA-384 or SHA-512 hash: 32, 48 or 64 octets",
            ChannelAttributeType.ExtendedMasterSecret or ChannelAttributeType.QopIndeterminate =>
                value[0] <= 1 ? null : "takes 0 or 1",
            ChannelAttributeType.PeerCertificate or ChannelAttributeType.LocalCertificate
                or ChannelAttributeType.IpsecPeerPublicKey => IsDerSequence(value) ? null : "takes one DER SEQUENCE and nothing after it",
            ChannelAttributeType.Role => value[0] is (byte)ChannelRole.Client or (byte)ChannelRole.Server
                ? null
                : "takes 1 (client) or 2 (server)",
            ChannelAttributeType.CreatedAt => BinaryPrimitives.ReadInt64BigEndian(value) is var ms
                && ms >= MinUnixMilliseconds && ms <= MaxUnixMilliseconds
                ? null
                : "takes Unix milliseconds of a time between the years 1 and 9999",
            ChannelAttributeType.IpsecPeerId or ChannelAttributeType.IpsecAlgorithms =>
                Utf8.IsValid(value) ? null : "takes valid UTF-8",
            ChannelAttributeType.IpsecAuthenticationMethod => Enum.IsDefined((IpsecAuthenticationMethod)value[0])
                ? null
                : "takes an authentication method from 0 to 11",
            ChannelAttributeType.IpsecProtocol => value[0] is 50 or 51 or 108 ? null : "takes 50 (ESP), 51 (AH) or 108 (IPComp)",
            ChannelAttributeType.IpsecMode => value[0] <= 1 ? null : "takes 0 (transport) or 1 (tunnel)",
            ChannelAttributeType.IpsecOutboundSpi or ChannelAttributeType.IpsecInboundSpi =>
                BinaryPrimitives.ReadUInt32BigEndian(value) != 0 ? null : "is never 0 (reserved, RFC 4303 section 2.1)",
            ChannelAttributeType.LatchState => Enum.IsDefined((IpsecLatchState)value[0])
                ? null
                : "takes 1 (listener), 2 (established), 3 (broken) or 4 (closed)",
            _ => null,
        };

        return problem is null ? null : string.Create(CultureInfo.InvariantCulture, $"{spec.Name} ({(ushort)spec.Type}) {problem}");
    }

    // Certificates and public keys are DER: exactly one SEQUENCE with a minimal length. Checking the outer
    // structure keeps junk out without parsing X.509 (the converter and the resolver hand over RawData as is).
    private static bool IsDerSequence(ReadOnlySpan<byte> value) =>
        AsnDecoder.TryReadEncodedValue(value, AsnEncodingRules.DER, out var tag, out _, out _, out var consumed)
        && tag == Asn1Tag.Sequence
        && consumed == value.Length;
}
