using System.Buffers.Binary;
using CbbToolkit.Ipsec.Netlink;
using static CbbToolkit.Ipsec.Xfrm.XfrmLayout;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>Attributes that SAs, policies and events share.</summary>
internal static class XfrmCommonAttributes
{
    public static void WriteMark(NetlinkWriter w, XfrmMark? mark)
    {
        if (mark is { } m)
        {
            var token = w.BeginAttribute(XfrmAttributeType.Mark);
            var s = w.Reserve(MarkSize);
            BinaryPrimitives.WriteUInt32LittleEndian(s, m.Value);
            BinaryPrimitives.WriteUInt32LittleEndian(s[4..], m.Mask);
            w.EndAttribute(token);
        }
    }

    public static XfrmMark ReadMark(ReadOnlySpan<byte> v)
    {
        if (v.Length < MarkSize)
        {
            NetlinkThrow.BadMessage($"XFRMA_MARK of {v.Length} octets");
        }

        return new XfrmMark(BinaryPrimitives.ReadUInt32LittleEndian(v), BinaryPrimitives.ReadUInt32LittleEndian(v[4..]));
    }

    public static uint ReadUInt32(ReadOnlySpan<byte> v, string what)
    {
        if (v.Length < 4)
        {
            NetlinkThrow.BadMessage($"{what} of {v.Length} octets");
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(v);
    }
}
