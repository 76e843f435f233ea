using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace CbbToolkit.Ipsec.Vici.Protocol;

/// <summary>
/// Reads the elements of one VICI message, checking each against the README's grammar as it goes: every length
/// against what remains, names non-empty printable ASCII, sections balanced and at most <see cref="ViciLimits.MaxDepth"/>
/// deep, lists flat and holding only items. Any violation throws <see cref="ViciProtocolException"/>.
/// </summary>
internal ref struct ViciReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _baseOffset;
    private int _position;
    private bool _inList;

    /// <param name="message">The message bytes (the packet after its type and name).</param>
    /// <param name="baseOffset">Where the message starts in the enclosing packet, so errors point at packet bytes.</param>
    public ViciReader(ReadOnlySpan<byte> message, int baseOffset = 0)
    {
        _data = message;
        _baseOffset = baseOffset;
    }

    /// <summary>The element just read.</summary>
    public ViciElementType ElementType { get; private set; }

    /// <summary>The name of a SECTION_START, KEY_VALUE or LIST_START; empty otherwise.</summary>
    public ReadOnlySpan<byte> Name { get; private set; }

    /// <summary>The value of a KEY_VALUE or LIST_ITEM; empty otherwise.</summary>
    public ReadOnlySpan<byte> Value { get; private set; }

    /// <summary>Where <see cref="Value"/> starts within the message (not the packet), so callers can slice their own memory.</summary>
    public int ValueIndex { get; private set; }

    /// <summary>How many sections are open after the element just read.</summary>
    public int Depth { get; private set; }

    /// <summary>The offset (in the enclosing packet) of the element just read.</summary>
    public int ElementOffset { get; private set; }

    /// <summary>Moves to the next element; false at the end of a well-formed message.</summary>
    public bool Read()
    {
        Name = default;
        Value = default;
        if (_position == _data.Length)
        {
            ElementOffset = _baseOffset + _position;
            if (_inList)
            {
                Fail("the message ends inside a list (LIST_END missing)");
            }

            if (Depth != 0)
            {
                Fail($"the message ends with {Depth} section(s) open (SECTION_END missing)");
            }

            return false;
        }

        ElementOffset = _baseOffset + _position;
        var type = (ViciElementType)_data[_position++];
        ElementType = type;
        switch (type)
        {
            case ViciElementType.SectionStart:
                RequireOutsideList("SECTION_START");
                Name = ReadName();
                if (++Depth > ViciLimits.MaxDepth)
                {
                    Fail($"sections nest deeper than {ViciLimits.MaxDepth}");
                }

                break;
            case ViciElementType.SectionEnd:
                RequireOutsideList("SECTION_END");
                if (Depth == 0)
                {
                    Fail("SECTION_END without an open section");
                }

                Depth--;
                break;
            case ViciElementType.KeyValue:
                RequireOutsideList("KEY_VALUE");
                Name = ReadName();
                Value = ReadValue();
                break;
            case ViciElementType.ListStart:
                RequireOutsideList("LIST_START (lists may not nest)");
                Name = ReadName();
                _inList = true;
                break;
            case ViciElementType.ListItem:
                if (!_inList)
                {
                    Fail("LIST_ITEM outside a list");
                }

                Value = ReadValue();
                break;
            case ViciElementType.ListEnd:
                if (!_inList)
                {
                    Fail("LIST_END without an open list");
                }

                _inList = false;
                break;
            default:
                Fail($"unknown element type {(byte)type}");
                break;
        }

        return true;
    }

    private void RequireOutsideList(string element)
    {
        if (_inList)
        {
            Fail($"{element} inside a list");
        }
    }

    private ReadOnlySpan<byte> ReadName()
    {
        if (_position >= _data.Length)
        {
            Fail("name length missing");
        }

        int length = _data[_position++];
        if (length > _data.Length - _position)
        {
            Fail($"name of {length} bytes but only {_data.Length - _position} remain");
        }

        var name = _data.Slice(_position, length);
        if (!ViciNames.IsValid(name))
        {
            Fail(length == 0 ? "empty name" : "name is not printable ASCII");
        }

        _position += length;
        return name;
    }

    private ReadOnlySpan<byte> ReadValue()
    {
        if (_data.Length - _position < 2)
        {
            Fail("value length missing");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(_data.Slice(_position, 2));
        _position += 2;
        if (length > _data.Length - _position)
        {
            Fail($"value of {length} bytes but only {_data.Length - _position} remain");
        }

        var value = _data.Slice(_position, length);
        ValueIndex = _position;
        _position += length;
        return value;
    }

    [DoesNotReturn]
    private readonly void Fail(string what) => throw new ViciProtocolException(what, ElementOffset);
}
