using System.Text;

namespace CbbToolkit.Ipsec.Vici.Protocol;

/// <summary>One packet from a transport segment: its type, its name (named types only), and the message bytes after them.</summary>
internal readonly struct ViciPacket
{
    private ViciPacket(ViciPacketType type, string? name, ReadOnlyMemory<byte> message, int messageOffset)
    {
        Type = type;
        Name = name;
        Message = message;
        MessageOffset = messageOffset;
    }

    public ViciPacketType Type { get; }

    /// <summary>The command or event name; null for unnamed types.</summary>
    public string? Name { get; }

    /// <summary>The message bytes (empty for packets without a message).</summary>
    public ReadOnlyMemory<byte> Message { get; }

    /// <summary>Where <see cref="Message"/> starts in the segment, for error offsets.</summary>
    public int MessageOffset { get; }

    /// <summary>CMD_REQUEST, EVENT_REGISTER, EVENT_UNREGISTER and EVENT carry a name.</summary>
    public static bool IsNamed(ViciPacketType type) =>
        type is ViciPacketType.CmdRequest or ViciPacketType.EventRegister or ViciPacketType.EventUnregister or ViciPacketType.Event;

    /// <summary>The README's name for a packet type, for messages.</summary>
    public static string TypeName(ViciPacketType type) => type switch
    {
        ViciPacketType.CmdRequest => "CMD_REQUEST",
        ViciPacketType.CmdResponse => "CMD_RESPONSE",
        ViciPacketType.CmdUnknown => "CMD_UNKNOWN",
        ViciPacketType.EventRegister => "EVENT_REGISTER",
        ViciPacketType.EventUnregister => "EVENT_UNREGISTER",
        ViciPacketType.EventConfirm => "EVENT_CONFIRM",
        ViciPacketType.EventUnknown => "EVENT_UNKNOWN",
        ViciPacketType.Event => "EVENT",
        _ => $"type {(byte)type}",
    };

    /// <summary>Splits a segment (the bytes after the length header) into type, name and message.</summary>
    /// <exception cref="ViciProtocolException">Empty segment, unknown type, or a bad name.</exception>
    public static ViciPacket Parse(ReadOnlyMemory<byte> segment)
    {
        var span = segment.Span;
        if (span.IsEmpty)
        {
            throw new ViciProtocolException("empty packet (no type byte)", 0);
        }

        var type = (ViciPacketType)span[0];
        if (type > ViciPacketType.Event)
        {
            throw new ViciProtocolException($"unknown packet type {span[0]}", 0);
        }

        if (!IsNamed(type))
        {
            return new ViciPacket(type, null, segment[1..], 1);
        }

        if (span.Length < 2)
        {
            throw new ViciProtocolException($"{TypeName(type)} packet without its name length", 1);
        }

        int length = span[1];
        if (length > span.Length - 2)
        {
            throw new ViciProtocolException($"{TypeName(type)} name of {length} bytes but only {span.Length - 2} remain", 1);
        }

        var name = span.Slice(2, length);
        if (!ViciNames.IsValid(name))
        {
            throw new ViciProtocolException($"{TypeName(type)} name is empty or not printable ASCII", 2);
        }

        return new ViciPacket(type, Encoding.ASCII.GetString(name), segment[(2 + length)..], 2 + length);
    }

    /// <summary>Encodes a whole segment (length header included) for sending.</summary>
    public static ReadOnlyMemory<byte> Encode(ViciPacketType type, string? name, ViciMessage? message)
    {
        var writer = new ViciWriter(type, name);
        message?.WriteTo(writer);
        return writer.Finish();
    }

    /// <summary>Parses the message this packet carries.</summary>
    public ViciMessage DecodeMessage() => ViciMessageCodec.Decode(Message, MessageOffset);
}
