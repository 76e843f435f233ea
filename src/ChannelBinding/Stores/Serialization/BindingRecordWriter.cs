using System.Buffers.Binary;
using System.Text;

namespace CbbToolkit.Channels.Stores;

/// <summary>Writes the fields of a serialized binding record into a growing buffer (the reader's mirror image).</summary>
internal sealed class BindingRecordWriter
{
    private byte[] _buffer;

    public BindingRecordWriter(int capacity) => _buffer = new byte[capacity];

    public int Length { get; private set; }

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Reserve(8), value);

    public void WriteString(string value, int maxOctets, string field)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        if (length > maxOctets)
        {
            throw new ArgumentException($"{field} is {length} UTF-8 octets, more than the {maxOctets} a stored binding keeps.");
        }

        WriteUInt16((ushort)length);
        Encoding.UTF8.GetBytes(value, Reserve(length));
    }

    public void WriteOptionalString(string? value, int maxOctets, string field)
    {
        WriteByte(value is null ? (byte)0 : (byte)1);
        if (value is not null)
        {
            WriteString(value, maxOctets, field);
        }
    }

    public void WriteHashOrEmpty(ReadOnlySpan<byte> hash)
    {
        WriteByte((byte)hash.Length);
        WriteBytes(hash);
    }

    /// <summary>The written octets in a new array; the internal buffer (which held the secret) is zeroed.</summary>
    public byte[] ToArrayAndClear()
    {
        var result = _buffer.AsSpan(0, Length).ToArray();
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(_buffer);
        return result;
    }

    private Span<byte> Reserve(int count)
    {
        if (Length + count > _buffer.Length)
        {
            var bigger = new byte[Math.Max(_buffer.Length * 2, Length + count)];
            _buffer.AsSpan(0, Length).CopyTo(bigger);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(_buffer);
            _buffer = bigger;
        }

        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
