using System.Buffers.Binary;

namespace CbbToolkit.Channels.Serialization;

/// <summary>
/// Reads big-endian fields from untrusted input. Every read checks what remains first and fails without moving,
/// so a caller can report the offset of the field that did not fit.
/// </summary>
internal ref struct ChannelInfoReader
{
    private readonly ReadOnlySpan<byte> _buffer;

    public ChannelInfoReader(ReadOnlySpan<byte> buffer) => _buffer = buffer;

    /// <summary>The offset of the next unread byte.</summary>
    public int Offset { get; private set; }

    /// <summary>How many bytes are left.</summary>
    public readonly int Remaining => _buffer.Length - Offset;

    public bool TryReadByte(out byte value)
    {
        if (Remaining < 1)
        {
            value = 0;
            return false;
        }

        value = _buffer[Offset++];
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        if (!BinaryPrimitives.TryReadUInt16BigEndian(_buffer[Offset..], out value))
        {
            return false;
        }

        Offset += sizeof(ushort);
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (!BinaryPrimitives.TryReadUInt32BigEndian(_buffer[Offset..], out value))
        {
            return false;
        }

        Offset += sizeof(uint);
        return true;
    }

    /// <summary>Reads <paramref name="length"/> bytes; the length is compared with what remains before it is used.</summary>
    public bool TryReadBytes(uint length, out ReadOnlySpan<byte> value)
    {
        if (length > (uint)Remaining)
        {
            value = default;
            return false;
        }

        value = _buffer.Slice(Offset, (int)length);
        Offset += (int)length;
        return true;
    }
}
