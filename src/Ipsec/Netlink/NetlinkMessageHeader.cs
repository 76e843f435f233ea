using System.Buffers.Binary;

namespace CbbToolkit.Ipsec.Netlink;

/// <summary>struct nlmsghdr, in host (little-endian) byte order.</summary>
internal readonly record struct NetlinkMessageHeader(int Length, ushort Type, NetlinkMessageFlags Flags, uint Sequence, uint PortId)
{
    public static NetlinkMessageHeader Read(ReadOnlySpan<byte> source) => new(
        (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(source), int.MaxValue),
        BinaryPrimitives.ReadUInt16LittleEndian(source[4..]),
        (NetlinkMessageFlags)BinaryPrimitives.ReadUInt16LittleEndian(source[6..]),
        BinaryPrimitives.ReadUInt32LittleEndian(source[8..]),
        BinaryPrimitives.ReadUInt32LittleEndian(source[12..]));

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)Length);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], Type);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], Sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], PortId);
    }
}
