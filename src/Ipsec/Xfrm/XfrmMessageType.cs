namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>XFRM_MSG_* netlink message types (include/uapi/linux/xfrm.h).</summary>
internal static class XfrmMessageType
{
    public const ushort NewSa = 0x10;
    public const ushort DeleteSa = 0x11;
    public const ushort GetSa = 0x12;
    public const ushort NewPolicy = 0x13;
    public const ushort DeletePolicy = 0x14;
    public const ushort GetPolicy = 0x15;
    public const ushort AllocateSpi = 0x16;
    public const ushort Acquire = 0x17;
    public const ushort Expire = 0x18;
    public const ushort UpdatePolicy = 0x19;
    public const ushort UpdateSa = 0x1a;
    public const ushort PolicyExpire = 0x1b;
    public const ushort FlushSa = 0x1c;
    public const ushort FlushPolicy = 0x1d;
    public const ushort NewAsyncEvent = 0x1e;
    public const ushort Report = 0x20;
    public const ushort Migrate = 0x21;
    public const ushort Mapping = 0x26;
}
