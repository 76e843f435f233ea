using CbbToolkit.Channels.Bindings.Messages;

namespace CbbToolkit.Channels.Bindings.Http;

/// <summary>
/// Binding messages as HTTP header values: RFC 8941 dictionaries with the keys <c>v</c> (version, integer, always first),
/// <c>cover</c> (integer: 1 = ipsec-sa-binding, 3 = also ipsec-end-point-sha256), <c>proof</c>, <c>id</c>, <c>nonce</c>
/// (byte sequences of 32, 16 and 32 octets), <c>ttl</c> (integer seconds) and <c>reason</c> (token). Each message type
/// has exactly its keys. No ASP.NET dependency: the Kestrel and HttpClient layers pass header strings in and out.
/// </summary>
public static class BindingHeaderCodec
{
    private static readonly string[][] s_keys =
    [
        [],
        ["v", "cover", "proof"],
        ["v", "cover", "id", "ttl", "proof"],
        ["v", "reason"],
        ["v", "nonce"],
        ["v", "id", "nonce", "proof"],
        ["v", "proof"],
    ];

    /// <summary>The header value of a message (send it under <see cref="BindingHeaderNames.For"/>).</summary>
    public static string Format(BindingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return StructuredDictionary.Serialize(s_keys[(int)message.Type].Select(key => KeyValuePair.Create(key, key switch
        {
            "v" => StructuredItem.FromInteger((byte)message.Version),
            "cover" => StructuredItem.FromInteger((byte)message.Covered),
            "proof" => StructuredItem.FromBytes(message.Proof.ToArray()),
            "id" => StructuredItem.FromBytes(message.BindingId.Bytes.ToArray()),
            "ttl" => StructuredItem.FromInteger(message.LifetimeSeconds),
            "reason" => StructuredItem.FromToken(message.Reason!.Value.ToToken()),
            _ => StructuredItem.FromBytes(message.Nonce.ToArray()),
        })));
    }

    /// <summary>
    /// Parses the values of the header that carries <paramref name="type"/>. Exactly one field line is accepted (a repeated
    /// header is refused, not merged). Checks in this order: size and syntax, version, keys, values.
    /// </summary>
    /// <exception cref="ChannelBindingException">
    /// Malformed, Oversized, UnsupportedVersion (also when <c>v</c> is absent or 0: a version is never implied) or UnknownField.
    /// </exception>
    public static BindingMessage Parse(BindingMessageType type, IReadOnlyList<string?> fieldLines)
    {
        ArgumentNullException.ThrowIfNull(fieldLines);
        return fieldLines.Count == 1 && fieldLines[0] is { } line
            ? Parse(type, line)
            : throw new ChannelBindingException(BindingFailureReason.Malformed,
                $"{BindingHeaderNames.For(type)} must appear exactly once; it appears {fieldLines.Count} times.");
    }

    /// <summary>Parses one header value carrying <paramref name="type"/>.</summary>
    /// <exception cref="ChannelBindingException">As <see cref="Parse(BindingMessageType, IReadOnlyList{string})"/>.</exception>
    public static BindingMessage Parse(BindingMessageType type, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (type is < BindingMessageType.ClientFirstContact or > BindingMessageType.ServerResume)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown message type.");
        }

        var members = StructuredDictionary.Parse(value);
        var version = members.Find(m => m.Key == "v");
        if (version.Key is null || version.Value.Kind != StructuredItemKind.Integer || version.Value.Integer != (byte)BindingProtocolVersion.V1)
        {
            throw new ChannelBindingException(BindingFailureReason.UnsupportedVersion,
                $"{BindingHeaderNames.For(type)} must say v=1 (the only version this side speaks); absent or other versions are refused.");
        }

        var keys = s_keys[(int)type];
        foreach (var member in members)
        {
            if (Array.IndexOf(keys, member.Key) < 0)
            {
                throw new ChannelBindingException(BindingFailureReason.UnknownField, $"{BindingHeaderNames.For(type)} has no key '{member.Key}' in version 1.");
            }
        }

        if (members.Count != keys.Length)
        {
            throw new ChannelBindingException(BindingFailureReason.Malformed,
                $"{BindingHeaderNames.For(type)} needs the keys {string.Join(", ", keys)}.");
        }

        return Build(type, members);
    }

    private static BindingMessage Build(BindingMessageType type, List<KeyValuePair<string, StructuredItem>> members)
    {
        StructuredItem Get(string key) => members.Find(m => m.Key == key).Value;
        byte[] Bytes(string key) => Get(key) is { Kind: StructuredItemKind.ByteSequence, Bytes: { } b } ? b : throw Bad(key, "a byte sequence");
        long Integer(string key, long max) => Get(key) is { Kind: StructuredItemKind.Integer, Integer: var n } && n >= 0 && n <= max ? n : throw Bad(key, $"an integer 0 to {max}");
        try
        {
            return type switch
            {
                BindingMessageType.ClientFirstContact => BindingMessage.ClientFirstContact((IpsecBindingValues)Integer("cover", 255), Bytes("proof")),
                BindingMessageType.ServerFirstContact => BindingMessage.ServerFirstContact(
                    (IpsecBindingValues)Integer("cover", 255), BindingId.FromBytes(Bytes("id")), (uint)Integer("ttl", BindingMessage.MaxLifetimeSeconds), Bytes("proof")),
                BindingMessageType.Refusal => BindingMessage.Refusal(
                    Get("reason") is { Kind: StructuredItemKind.Token } t && BindingFailureReasons.TryParseToken(t.Token, out var r) ? r.Value : throw Bad("reason", "a reason token")),
                BindingMessageType.Challenge => BindingMessage.Challenge(Bytes("nonce")),
                BindingMessageType.ClientResume => BindingMessage.ClientResume(BindingId.FromBytes(Bytes("id")), Bytes("nonce"), Bytes("proof")),
                _ => BindingMessage.ServerResume(Bytes("proof")),
            };
        }
        catch (ArgumentException e)
        {
            throw new ChannelBindingException(BindingFailureReason.Malformed, $"{BindingHeaderNames.For(type)} has an invalid value: {e.Message}", innerException: e);
        }
    }

    private static ChannelBindingException Bad(string key, string what) =>
        new(BindingFailureReason.Malformed, $"Binding header key '{key}' must be {what}.");
}
