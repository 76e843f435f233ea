using System.Buffers.Binary;
using System.Globalization;
using System.Net.Security;
using System.Text;
using System.Text.Json;

namespace CbbToolkit.Channels.Serialization;

/// <summary>
/// The readable JSON value of each attribute type (docs/api.md, "JSON form"): binding values and hashes as lower-case
/// hex, certificates and keys as base64, numbers and code points by name. Readers return the attribute's binary value
/// or a problem; ChannelInfo.CheckValue then applies the same rules as the binary parser.
/// </summary>
internal static class ChannelJsonValues
{
    private static readonly (string Name, byte Value)[] s_roles = [("client", 1), ("server", 2)];
    private static readonly (string Name, byte Value)[] s_protocols = [("esp", 50), ("ah", 51), ("comp", 108)];
    private static readonly (string Name, byte Value)[] s_modes = [("transport", 0), ("tunnel", 1)];
    private static readonly (string Name, byte Value)[] s_latchStates =
        [("listener", 1), ("established", 2), ("broken", 3), ("closed", 4)];

    private static readonly (string Name, byte Value)[] s_authMethods =
    [
        ("none", 0), ("btns", 1), ("leap-of-faith", 2), ("preshared-key", 3), ("group-key", 4), ("xauth", 5), ("eap", 6),
        ("pkix-trusted", 7), ("pkix-inline", 8), ("pkix-offline", 9), ("null", 10), ("raw-public-key", 11),
    ];

    private static readonly Dictionary<ushort, string> s_cipherSuiteNames =
        Enum.GetValues<TlsCipherSuite>().Distinct().ToDictionary(v => (ushort)v, v => Enum.GetName(v)!);

    private static readonly Dictionary<string, ushort> s_cipherSuiteValues =
        Enum.GetNames<TlsCipherSuite>().ToDictionary(n => n, n => (ushort)Enum.Parse<TlsCipherSuite>(n), StringComparer.Ordinal);

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static void Write(Utf8JsonWriter writer, ChannelAttributeType type, ReadOnlySpan<byte> value)
    {
        switch (type)
        {
            case ChannelAttributeType.TlsVersion:
                writer.WriteStringValue(BinaryPrimitives.ReadUInt16BigEndian(value) == 0x0304 ? "1.3" : "1.2");
                break;
            case ChannelAttributeType.TlsCipherSuite:
                var suite = BinaryPrimitives.ReadUInt16BigEndian(value);
                writer.WriteStringValue(s_cipherSuiteNames.TryGetValue(suite, out var name)
                    ? name
                    : "0x" + suite.ToString("x4", CultureInfo.InvariantCulture));
                break;
            case ChannelAttributeType.ExtendedMasterSecret or ChannelAttributeType.QopIndeterminate:
                writer.WriteBooleanValue(value[0] == 1);
                break;
            case ChannelAttributeType.PeerCertificate or ChannelAttributeType.LocalCertificate
                or ChannelAttributeType.IpsecPeerPublicKey:
                writer.WriteBase64StringValue(value);
                break;
            case ChannelAttributeType.Role:
                writer.WriteStringValue(NameOf(s_roles, value[0]));
                break;
            case ChannelAttributeType.CreatedAt:
                writer.WriteStringValue(DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(value))
                    .UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture));
                break;
            case ChannelAttributeType.IpsecPeerId or ChannelAttributeType.IpsecAlgorithms:
                writer.WriteStringValue(value); // UTF-8, checked valid by the rules
                break;
            case ChannelAttributeType.IpsecAuthenticationMethod:
                writer.WriteStringValue(NameOf(s_authMethods, value[0]));
                break;
            case ChannelAttributeType.IpsecProtocol:
                writer.WriteStringValue(NameOf(s_protocols, value[0]));
                break;
            case ChannelAttributeType.IpsecMode:
                writer.WriteStringValue(NameOf(s_modes, value[0]));
                break;
            case ChannelAttributeType.IpsecOutboundSpi or ChannelAttributeType.IpsecInboundSpi:
                writer.WriteStringValue("0x" + BinaryPrimitives.ReadUInt32BigEndian(value).ToString("x8", CultureInfo.InvariantCulture));
                break;
            case ChannelAttributeType.IpsecRequestId:
                writer.WriteNumberValue(BinaryPrimitives.ReadUInt32BigEndian(value));
                break;
            case ChannelAttributeType.LatchState:
                writer.WriteStringValue(NameOf(s_latchStates, value[0]));
                break;
            default: // binding values and hashes
                writer.WriteStringValue(Convert.ToHexStringLower(value));
                break;
        }
    }

    /// <summary>Converts the current value token to the attribute's binary value; null and a problem when it cannot.</summary>
    public static byte[]? Read(ref Utf8JsonReader reader, ChannelAttributeType type, out string? problem)
    {
        problem = null;
        switch (type)
        {
            case ChannelAttributeType.ExtendedMasterSecret or ChannelAttributeType.QopIndeterminate:
                if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                {
                    return [reader.TokenType == JsonTokenType.True ? (byte)1 : (byte)0];
                }

                problem = "takes true or false";
                return null;
            case ChannelAttributeType.IpsecRequestId:
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetUInt32(out var reqid))
                {
                    var bytes = new byte[4];
                    BinaryPrimitives.WriteUInt32BigEndian(bytes, reqid);
                    return bytes;
                }

                problem = "takes an integer from 0 to 4294967295";
                return null;
            case ChannelAttributeType.CreatedAt:
                return ReadTimestamp(ref reader, out problem);
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            problem = "takes a string";
            return null;
        }

        var text = reader.GetString()!;
        var value = type switch
        {
            ChannelAttributeType.TlsVersion => text switch
            {
                "1.2" => [0x03, 0x03],
                "1.3" => [0x03, 0x04],
                _ => null,
            },
            ChannelAttributeType.TlsCipherSuite => ReadCipherSuite(text),
            ChannelAttributeType.PeerCertificate or ChannelAttributeType.LocalCertificate
                or ChannelAttributeType.IpsecPeerPublicKey => ReadBase64(text),
            ChannelAttributeType.Role => ValueOf(s_roles, text),
            ChannelAttributeType.IpsecPeerId or ChannelAttributeType.IpsecAlgorithms => Encoding.UTF8.GetBytes(text),
            ChannelAttributeType.IpsecAuthenticationMethod => ValueOf(s_authMethods, text),
            ChannelAttributeType.IpsecProtocol => ValueOf(s_protocols, text),
            ChannelAttributeType.IpsecMode => ValueOf(s_modes, text),
            ChannelAttributeType.IpsecOutboundSpi or ChannelAttributeType.IpsecInboundSpi =>
                text.Length == 10 && text.StartsWith("0x", StringComparison.Ordinal) ? ReadLowerHex(text.AsSpan(2)) : null,
            ChannelAttributeType.LatchState => ValueOf(s_latchStates, text),
            _ => ReadLowerHex(text),
        };

        if (value is null)
        {
            problem = Expected(type);
        }

        return value;
    }

    private static string Expected(ChannelAttributeType type) => type switch
    {
        ChannelAttributeType.TlsVersion => "takes \"1.2\" or \"1.3\"",
        ChannelAttributeType.TlsCipherSuite => "takes an IANA cipher suite name (TLS_AES_128_GCM_SHA256) or \"0x\" and 4 lower-case hex digits",
        ChannelAttributeType.PeerCertificate or ChannelAttributeType.LocalCertificate
            or ChannelAttributeType.IpsecPeerPublicKey => "takes canonical base64 (padded, no whitespace)",
        ChannelAttributeType.Role => Choices(s_roles),
        ChannelAttributeType.IpsecAuthenticationMethod => Choices(s_authMethods),
        ChannelAttributeType.IpsecProtocol => Choices(s_protocols),
        ChannelAttributeType.IpsecMode => Choices(s_modes),
        ChannelAttributeType.LatchState => Choices(s_latchStates),
        ChannelAttributeType.IpsecOutboundSpi or ChannelAttributeType.IpsecInboundSpi => "takes \"0x\" and 8 lower-case hex digits",
        _ => "takes lower-case hex with an even number of digits",
    };

    private static byte[]? ReadTimestamp(ref Utf8JsonReader reader, out string? problem)
    {
        problem = null;
        // An explicit offset is required: without one the reader would assume this machine's time zone.
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var time) || !HasOffset(reader.GetString()!))
        {
            problem = "takes an ISO 8601 date and time with Z or an offset, such as \"2025-01-31T12:00:00.000Z\"";
            return null;
        }

        if (time.UtcTicks % TimeSpan.TicksPerMillisecond != 0)
        {
            problem = "is kept in whole milliseconds; drop the digits after the third decimal";
            return null;
        }

        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, time.ToUnixTimeMilliseconds());
        return bytes;
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private static byte[]? ReadCipherSuite(string text)
    {
        if (s_cipherSuiteValues.TryGetValue(text, out var suite))
        {
            return [(byte)(suite >> 8), (byte)suite];
        }

        return text.Length == 6 && text.StartsWith("0x", StringComparison.Ordinal) ? ReadLowerHex(text.AsSpan(2)) : null;
    }

    // Strict on purpose: only the form ToJson writes, so a value has one spelling (no whitespace, no missing padding).
    private static byte[]? ReadBase64(string text)
    {
        var buffer = new byte[text.Length / 4 * 3];
        return Convert.TryFromBase64String(text, buffer, out var written)
            && Convert.ToBase64String(buffer.AsSpan(0, written)).Equals(text, StringComparison.Ordinal)
            ? buffer[..written]
            : null;
    }

    private static byte[]? ReadLowerHex(ReadOnlySpan<char> text)
    {
        if (text.Length % 2 != 0)
        {
            return null;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return null;
            }
        }

        return Convert.FromHexString(text);
    }

    private static string NameOf((string Name, byte Value)[] table, byte value)
    {
        foreach (var (name, v) in table)
        {
            if (v == value)
            {
                return name;
            }
        }

        // The rules admit only values the tables name; reaching here is a bug, and the JSON must not lie.
        throw new InvalidOperationException($"No JSON name for value {value}.");
    }

    private static byte[]? ValueOf((string Name, byte Value)[] table, string text)
    {
        foreach (var (name, v) in table)
        {
            if (name.Equals(text, StringComparison.Ordinal))
            {
                return [v];
            }
        }

        return null;
    }

    private static string Choices((string Name, byte Value)[] table) =>
        "takes one of " + string.Join(", ", table.Select(e => $"\"{e.Name}\""));
}
