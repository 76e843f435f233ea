using System.Buffers.Binary;

namespace CbbToolkit.Ipsec.Netlink;

/// <summary>
/// Walks a run of netlink attributes (struct nlattr + value). The type comes back without the NLA_F_NESTED and
/// NLA_F_NET_BYTEORDER bits. Lengths are checked before they are trusted.
/// </summary>
internal ref struct NetlinkAttributeReader
{
    private const ushort TypeMask = 0x3fff;
    private ReadOnlySpan<byte> _remaining;

    public NetlinkAttributeReader(ReadOnlySpan<byte> attributes) => _remaining = attributes;

    public bool TryRead(out ushort type, out ReadOnlySpan<byte> value)
    {
        if (_remaining.IsEmpty)
        {
            type = 0;
            value = default;
            return false;
        }

        if (_remaining.Length < NetlinkAlignment.AttributeHeaderLength)
        {
            NetlinkThrow.BadMessage($"{_remaining.Length} stray octets after the last attribute");
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(_remaining);
        if (length < NetlinkAlignment.AttributeHeaderLength || length > _remaining.Length)
        {
            NetlinkThrow.BadMessage($"attribute length {length} with {_remaining.Length} octets left");
        }

        type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_remaining[2..]) & TypeMask);
        value = _remaining[NetlinkAlignment.AttributeHeaderLength..length];
        var next = NetlinkAlignment.Align(length);
        _remaining = next >= _remaining.Length ? default : _remaining[next..];
        return true;
    }
}
