using System.Buffers.Binary;

namespace CbbToolkit.Channels.Serialization;

/// <summary>
/// Writes big-endian fields into a buffer the caller sized with <see cref="ChannelInfoBinaryFormat.GetLength"/>.
/// Length fields are reserved first and back-patched when the value is complete.
/// </summary>
internal ref struct ChannelInfoWriter
{
    private readonly Span<byte> _buffer;

    public ChannelInfoWriter(Span<byte> buffer) => _buffer = buffer;

    /// <summary>The number of bytes written so far.</summary>
    public int Offset { get; private set; }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer[Offset..]);
        Offset += value.Length;
    }

    public void WriteByte(byte value) => _buffer[Offset++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[Offset..], value);
        Offset += sizeof(ushort);
    }

    /// <summary>Reserves a 32-bit length field; returns the token <see cref="EndLength32"/> fills it from.</summary>
    public int BeginLength32()
    {
        var token = Offset;
        WriteUInt32(0);
        return token;
    }

    /// <summary>Fills the length field reserved at <paramref name="token"/> with the bytes written after it.</summary>
    public readonly void EndLength32(int token) =>
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[token..], (uint)(Offset - token - sizeof(uint)));

    private void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[Offset..], value);
        Offset += sizeof(uint);
    }
}
