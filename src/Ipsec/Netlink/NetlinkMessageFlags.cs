namespace CbbToolkit.Ipsec.Netlink;

/// <summary>nlmsg_flags (include/uapi/linux/netlink.h). GET and NEW requests reuse the 0x100-0x800 bits differently.</summary>
[Flags]
#pragma warning disable CA1069 // the kernel gives the same bits different meanings per request kind
internal enum NetlinkMessageFlags : ushort
{
    None = 0,
    Request = 0x1,
    Multi = 0x2,
    Ack = 0x4,
    Echo = 0x8,
    DumpInterrupted = 0x10,
    DumpFiltered = 0x20,

    // GET requests
    Root = 0x100,
    Match = 0x200,
    Dump = Root | Match,

    // NEW requests
    Replace = 0x100,
    Exclusive = 0x200,
    Create = 0x400,
    Append = 0x800,

    // NLMSG_ERROR replies
    Capped = 0x100,
    AckTlvs = 0x200,
}
#pragma warning restore CA1069
