using System.Buffers.Binary;
using System.Text;

namespace CbbToolkit.Ipsec.Vici.Protocol;

/// <summary>
/// Writes one VICI packet: the 4-byte length header (back-patched by <see cref="Finish"/>), type, optional name, and the
/// message elements; or, made with the parameterless constructor, a bare message. Misuse (unbalanced sections,
/// key/values in lists, bad names, oversized values) throws at once, so the daemon never sees a malformed packet from us.
/// </summary>
internal sealed class ViciWriter
{
    private readonly int _headerLength;
    private byte[] _buffer = new byte[256];
    private int _length;
    private int _depth;
    private bool _inList;
    private bool _finished;

    /// <summary>Starts a bare message (no transport header, no packet type): what a packet carries after its name.</summary>
    public ViciWriter()
    {
    }

    /// <summary>Starts a packet of <paramref name="type"/>; named types need <paramref name="name"/>, others must not have one.</summary>
    public ViciWriter(ViciPacketType type, string? name)
    {
        var named = ViciPacket.IsNamed(type);
        if (named != name is not null)
        {
            throw new ArgumentException(named ? $"{type} packets carry a name." : $"{type} packets carry no name.", nameof(name));
        }

        _headerLength = ViciLimits.HeaderLength;
        _length = _headerLength;
        if (name is not null)
        {
            ViciNames.ThrowIfInvalid(name, nameof(name));
        }

        var header = Append(1 + (name is null ? 0 : 1 + name.Length));
        header[0] = (byte)type;
        if (name is not null)
        {
            header[1] = (byte)name.Length;
            Encoding.ASCII.GetBytes(name, header[2..]);
        }
    }

    public void BeginSection(string name)
    {
        RequireOutsideList();
        if (_depth == ViciLimits.MaxDepth)
        {
            throw new InvalidOperationException($"VICI sections nest at most {ViciLimits.MaxDepth} deep here.");
        }

        WriteElement(ViciElementType.SectionStart, name, default, hasValue: false);
        _depth++;
    }

    public void EndSection()
    {
        RequireOutsideList();
        if (_depth == 0)
        {
            throw new InvalidOperationException("No VICI section is open.");
        }

        WriteElement(ViciElementType.SectionEnd, null, default, hasValue: false);
        _depth--;
    }

    public void KeyValue(string name, ReadOnlySpan<byte> value)
    {
        RequireOutsideList();
        WriteElement(ViciElementType.KeyValue, name, value, hasValue: true);
    }

    public void BeginList(string name)
    {
        RequireOutsideList();
        WriteElement(ViciElementType.ListStart, name, default, hasValue: false);
        _inList = true;
    }

    public void ListItem(ReadOnlySpan<byte> value)
    {
        if (!_inList)
        {
            throw new InvalidOperationException("VICI list items go inside a list.");
        }

        WriteElement(ViciElementType.ListItem, null, value, hasValue: true);
    }

    public void EndList()
    {
        if (!_inList)
        {
            throw new InvalidOperationException("No VICI list is open.");
        }

        WriteElement(ViciElementType.ListEnd, null, default, hasValue: false);
        _inList = false;
    }

    /// <summary>Fills in the length header (packets) and returns the bytes, ready to send.</summary>
    /// <exception cref="IpsecException">MessageTooLarge when the packet exceeds the 512 KB segment limit.</exception>
    public ReadOnlyMemory<byte> Finish()
    {
        if (_finished)
        {
            throw new InvalidOperationException("The packet is already finished.");
        }

        if (_inList || _depth != 0)
        {
            throw new InvalidOperationException("A VICI list or section is still open.");
        }

        var length = _length - _headerLength; // Append keeps it within the segment limit
        _finished = true;
        if (_headerLength != 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_buffer, (uint)length);
        }

        return _buffer.AsMemory(0, _length);
    }

    private void RequireOutsideList()
    {
        if (_inList)
        {
            throw new InvalidOperationException("Only list items may appear inside a VICI list.");
        }
    }

    private Span<byte> Append(int count)
    {
        if (_finished)
        {
            throw new InvalidOperationException("The packet is already finished.");
        }

        if (_length - _headerLength + count > ViciLimits.MaxSegmentLength)
        {
            throw new IpsecException(IpsecError.MessageTooLarge,
                $"The VICI packet would exceed the protocol's {ViciLimits.MaxSegmentLength}-byte segment limit.");
        }

        if (_buffer.Length - _length < count)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    /// <summary>Checks everything first, then appends the whole element, so a refused element leaves no partial bytes.</summary>
    private void WriteElement(ViciElementType type, string? name, ReadOnlySpan<byte> value, bool hasValue)
    {
        if (name is not null)
        {
            ViciNames.ThrowIfInvalid(name, nameof(name));
        }

        if (value.Length > ViciLimits.MaxValueLength)
        {
            throw new IpsecException(IpsecError.MessageTooLarge,
                $"A VICI value is {value.Length} bytes; the protocol allows at most {ViciLimits.MaxValueLength}.");
        }

        var span = Append(1 + (name is null ? 0 : 1 + name.Length) + (hasValue ? 2 + value.Length : 0));
        span[0] = (byte)type;
        span = span[1..];
        if (name is not null)
        {
            span[0] = (byte)name.Length;
            Encoding.ASCII.GetBytes(name, span[1..]);
            span = span[(1 + name.Length)..];
        }

        if (hasValue)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)value.Length);
            value.CopyTo(span[2..]);
        }
    }
}
