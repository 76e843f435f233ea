using System.Buffers.Binary;

namespace CbbToolkit.Ipsec.Netlink;

/// <summary>
/// Builds netlink messages. <see cref="BeginMessage"/> and <see cref="BeginAttribute"/> return a token (the offset of
/// the header); the matching End call writes the length there once the content is known, so nested attributes need
/// no size computed up front. Padding happens only here and in <see cref="NetlinkAlignment"/>.
/// </summary>
internal sealed class NetlinkWriter
{
    private const int MaxAttributeLength = ushort.MaxValue;
    private byte[] _buffer;
    private int _length;

    public NetlinkWriter(int capacity = 512) => _buffer = new byte[Math.Max(capacity, 64)];

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public void Clear()
    {
        _buffer.AsSpan(0, _length).Clear();
        _length = 0;
    }

    /// <summary>Starts a message; the length is filled in by <see cref="EndMessage"/>.</summary>
    public int BeginMessage(ushort type, NetlinkMessageFlags flags, uint sequence)
    {
        Pad();
        var token = _length;
        new NetlinkMessageHeader(0, type, flags, sequence, 0).Write(Reserve(NetlinkAlignment.MessageHeaderLength));
        return token;
    }

    public void EndMessage(int token) =>
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(token), (uint)(_length - token));

    /// <summary>Returns <paramref name="count"/> zeroed octets at the current position (no alignment).</summary>
    public Span<byte> Reserve(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Grow(count);
        var span = _buffer.AsSpan(_length, count);
        span.Clear();
        _length += count;
        return span;
    }

    /// <summary>Starts an attribute (aligned); its value follows through <see cref="Reserve"/> or nested attributes.</summary>
    public int BeginAttribute(ushort type)
    {
        Pad();
        var token = _length;
        var header = Reserve(NetlinkAlignment.AttributeHeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], type);
        return token;
    }

    /// <summary>Writes nla_len (value length plus header, without trailing padding) and pads what follows.</summary>
    public void EndAttribute(int token)
    {
        var length = _length - token;
        if (length > MaxAttributeLength)
        {
            throw new IpsecException(IpsecError.MessageTooLarge,
                $"A netlink attribute of {length} octets does not fit nla_len (at most {MaxAttributeLength}).");
        }

        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(token), (ushort)length);
        Pad();
    }

    public void WriteAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        var token = BeginAttribute(type);
        value.CopyTo(Reserve(value.Length));
        EndAttribute(token);
    }

    public void WriteAttributeUInt32(ushort type, uint value)
    {
        var token = BeginAttribute(type);
        BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);
        EndAttribute(token);
    }

    private void Pad() => Reserve(NetlinkAlignment.Align(_length) - _length);

    private void Grow(int count)
    {
        if (_length + count <= _buffer.Length)
        {
            return;
        }

        var bigger = new byte[Math.Max(_buffer.Length * 2, _length + count)];
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        Array.Clear(_buffer); // may hold key material
        _buffer = bigger;
    }
}
