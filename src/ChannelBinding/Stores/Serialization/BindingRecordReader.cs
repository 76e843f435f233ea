using System.Buffers.Binary;
using System.Text;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// Reads the fields of a serialized binding record from untrusted input: every read checks what remains first and
/// throws <see cref="ChannelBindingFormatException"/> with the offset of the field that did not fit.
/// </summary>
internal ref struct BindingRecordReader
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _buffer;

    public BindingRecordReader(ReadOnlySpan<byte> buffer) => _buffer = buffer;

    public int Offset { get; private set; }

    public readonly int Remaining => _buffer.Length - Offset;

    public ReadOnlySpan<byte> ReadBytes(int count, string field)
    {
        if (Remaining < count)
        {
            throw Fail($"{field} is truncated");
        }

        var bytes = _buffer.Slice(Offset, count);
        Offset += count;
        return bytes;
    }

    public byte ReadByte(string field) => ReadBytes(1, field)[0];

    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16BigEndian(ReadBytes(2, field));

    public long ReadInt64(string field) => BinaryPrimitives.ReadInt64BigEndian(ReadBytes(8, field));

    /// <summary>A presence octet: 0 absent, 1 present, anything else refused.</summary>
    public bool ReadPresence(string field) => ReadByte(field) switch
    {
        0 => false,
        1 => true,
        _ => throw Fail($"{field} has a presence flag other than 0 or 1", Offset - 1),
    };

    /// <summary>A 16-bit length, then that many octets of strict UTF-8 (no invalid sequences), at most <paramref name="maxOctets"/>.</summary>
    public string ReadString(string field, int maxOctets, bool allowEmpty = false)
    {
        var start = Offset;
        var length = ReadUInt16(field);
        if (length > maxOctets || (length == 0 && !allowEmpty))
        {
            throw Fail($"{field} has length {length}, outside 1..{maxOctets}", start);
        }

        var bytes = ReadBytes(length, field);
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new ChannelBindingFormatException(start, $"{field} is not valid UTF-8", e);
        }
    }

    public string? ReadOptionalString(string field, int maxOctets, bool allowEmpty = false) =>
        ReadPresence(field) ? ReadString(field, maxOctets, allowEmpty) : null;

    /// <summary>A length octet that must be 0 or 32, then that many octets (a SHA-256 value or nothing).</summary>
    public ReadOnlySpan<byte> ReadHashOrEmpty(string field)
    {
        var start = Offset;
        var length = ReadByte(field);
        if (length is not (0 or 32))
        {
            throw Fail($"{field} has length {length}, not 0 or 32", start);
        }

        return ReadBytes(length, field);
    }

    public readonly ChannelBindingFormatException Fail(string problem, int? at = null) => new(at ?? Offset, problem);
}
