using System.Buffers.Binary;

namespace CbbToolkit.Channels.Bindings.Messages;

/// <summary>
/// The binary form of binding messages (docs/binding-protocol.md, "Message format"): version (1 octet), type (1),
/// body length (2, big-endian), then fields as type (1), length (1), value - in ascending type order, each field the
/// type requires exactly once and no other. Decoding is strict: anything else is refused with a typed reason.
/// </summary>
public static class BindingMessageCodec
{
    /// <summary>The header length in octets.</summary>
    public const int HeaderLength = 4;

    /// <summary>The longest message in octets (v1 messages are at most 60; the limit leaves room and bounds reads).</summary>
    public const int MaxMessageLength = 256;

    // Per message type, the fields it carries, ascending: exactly these, each once.
    private static readonly BindingFieldType[][] s_fields =
    [
        [],
        [BindingFieldType.Covered, BindingFieldType.Proof],
        [BindingFieldType.Covered, BindingFieldType.Proof, BindingFieldType.BindingId, BindingFieldType.Lifetime],
        [BindingFieldType.Reason],
        [BindingFieldType.Nonce],
        [BindingFieldType.Proof, BindingFieldType.BindingId, BindingFieldType.Nonce],
        [BindingFieldType.Proof],
    ];

    /// <summary>Encodes a message.</summary>
    public static byte[] Encode(BindingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var fields = s_fields[(int)message.Type];
        var length = HeaderLength;
        foreach (var field in fields)
        {
            length += 2 + FieldLength(field);
        }

        var output = new byte[length];
        output[0] = (byte)message.Version;
        output[1] = (byte)message.Type;
        BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(2), (ushort)(length - HeaderLength));
        var at = HeaderLength;
        foreach (var field in fields)
        {
            var size = FieldLength(field);
            output[at] = (byte)field;
            output[at + 1] = (byte)size;
            var value = output.AsSpan(at + 2, size);
            switch (field)
            {
                case BindingFieldType.Covered: value[0] = (byte)message.Covered; break;
                case BindingFieldType.Proof: message.Proof.Span.CopyTo(value); break;
                case BindingFieldType.BindingId: message.BindingId.Bytes.CopyTo(value); break;
                case BindingFieldType.Lifetime: BinaryPrimitives.WriteUInt32BigEndian(value, message.LifetimeSeconds); break;
                case BindingFieldType.Reason: value[0] = (byte)message.Reason!.Value; break;
                case BindingFieldType.Nonce: message.Nonce.Span.CopyTo(value); break;
            }

            at += 2 + size;
        }

        return output;
    }

    /// <summary>Decodes exactly one message occupying all of <paramref name="input"/>.</summary>
    /// <exception cref="ChannelBindingException">
    /// Oversized, UnsupportedVersion (checked before anything else in the body: another version's body is not parsed),
    /// UnknownField, or Malformed.
    /// </exception>
    public static BindingMessage Decode(ReadOnlySpan<byte> input)
    {
        if (input.Length > MaxMessageLength)
        {
            throw Fail(BindingFailureReason.Oversized, $"A binding message is at most {MaxMessageLength} octets; this one has {input.Length}.");
        }

        if (input.Length < HeaderLength)
        {
            throw Fail(BindingFailureReason.Malformed, "A binding message has a 4-octet header.");
        }

        if (input[0] != (byte)BindingProtocolVersion.V1)
        {
            throw Fail(BindingFailureReason.UnsupportedVersion, $"Binding protocol version {input[0]} is not supported; this side speaks version 1 only.");
        }

        var type = input[1];
        if (type is 0 || type >= s_fields.Length)
        {
            throw Fail(BindingFailureReason.Malformed, $"Unknown binding message type {type}.");
        }

        var bodyLength = BinaryPrimitives.ReadUInt16BigEndian(input[2..]);
        if (bodyLength != input.Length - HeaderLength)
        {
            throw Fail(BindingFailureReason.Malformed, $"The header says {bodyLength} body octets; {input.Length - HeaderLength} follow.");
        }

        return ReadBody((BindingMessageType)type, input[HeaderLength..]);
    }

    /// <summary>The body length a header announces, checked against the limit (for readers of framed streams).</summary>
    /// <exception cref="ChannelBindingException">UnsupportedVersion or Oversized.</exception>
    public static int ReadBodyLength(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderLength)
        {
            throw Fail(BindingFailureReason.Malformed, "A binding message has a 4-octet header.");
        }

        if (header[0] != (byte)BindingProtocolVersion.V1)
        {
            throw Fail(BindingFailureReason.UnsupportedVersion, $"Binding protocol version {header[0]} is not supported; this side speaks version 1 only.");
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        return length <= MaxMessageLength - HeaderLength
            ? length
            : throw Fail(BindingFailureReason.Oversized, $"A binding message is at most {MaxMessageLength} octets; the header announces {length + HeaderLength}.");
    }

    private static BindingMessage ReadBody(BindingMessageType type, ReadOnlySpan<byte> body)
    {
        var expected = s_fields[(int)type];
        var values = new byte[]?[expected.Length];
        var next = 0;
        while (!body.IsEmpty)
        {
            if (body.Length < 2 || body[1] > body.Length - 2)
            {
                throw Fail(BindingFailureReason.Malformed, "A field runs past the end of the message.");
            }

            var field = (BindingFieldType)body[0];
            var value = body.Slice(2, body[1]);
            var index = Array.IndexOf(expected, field);
            if (index < 0)
            {
                throw Fail(BindingFailureReason.UnknownField, $"Field type {body[0]} is not defined for a {type} message in version 1.");
            }

            if (index < next)
            {
                throw Fail(BindingFailureReason.Malformed, $"Field type {body[0]} is repeated or out of order.");
            }

            if (index > next)
            {
                throw Fail(BindingFailureReason.Malformed, $"A {type} message lacks field type {(byte)expected[next]}.");
            }

            if (value.Length != FieldLength(field))
            {
                throw Fail(BindingFailureReason.Malformed, $"Field type {body[0]} is {FieldLength(field)} octets, not {value.Length}.");
            }

            values[index] = value.ToArray();
            next++;
            body = body[(2 + value.Length)..];
        }

        if (next != expected.Length)
        {
            throw Fail(BindingFailureReason.Malformed, $"A {type} message lacks field type {(byte)expected[next]}.");
        }

        return Build(type, values);
    }

    private static BindingMessage Build(BindingMessageType type, byte[]?[] v)
    {
        try
        {
            return type switch
            {
                BindingMessageType.ClientFirstContact => BindingMessage.ClientFirstContact((IpsecBindingValues)v[0]![0], v[1]),
                BindingMessageType.ServerFirstContact => BindingMessage.ServerFirstContact(
                    (IpsecBindingValues)v[0]![0], BindingId.FromBytes(v[2]), BinaryPrimitives.ReadUInt32BigEndian(v[3]), v[1]),
                BindingMessageType.Refusal => BindingMessage.Refusal((BindingFailureReason)v[0]![0]),
                BindingMessageType.Challenge => BindingMessage.Challenge(v[0]),
                BindingMessageType.ClientResume => BindingMessage.ClientResume(BindingId.FromBytes(v[1]), v[2], v[0]),
                _ => BindingMessage.ServerResume(v[0]),
            };
        }
        catch (ArgumentException e)
        {
            throw new ChannelBindingException(BindingFailureReason.Malformed, $"A {type} message has an invalid value: {e.Message}", innerException: e);
        }
    }

    private static int FieldLength(BindingFieldType field) => field switch
    {
        BindingFieldType.Covered or BindingFieldType.Reason => 1,
        BindingFieldType.Proof => BindingMessage.ProofLength,
        BindingFieldType.BindingId => BindingId.Length,
        BindingFieldType.Lifetime => 4,
        _ => BindingMessage.NonceLength,
    };

    private static ChannelBindingException Fail(BindingFailureReason reason, string message) => new(reason, message);
}
