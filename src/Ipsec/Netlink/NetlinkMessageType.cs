namespace CbbToolkit.Ipsec.Netlink;

/// <summary>The control message types every netlink family shares.</summary>
internal static class NetlinkMessageType
{
    public const ushort Noop = 1;
    public const ushort Error = 2;
    public const ushort Done = 3;
    public const ushort Overrun = 4;

    /// <summary>Family-specific types start here (NLMSG_MIN_TYPE).</summary>
    public const ushort MinimumFamilyType = 0x10;
}
