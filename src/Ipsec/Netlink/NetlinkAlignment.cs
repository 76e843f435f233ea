namespace CbbToolkit.Ipsec.Netlink;

/// <summary>The one place that knows netlink's alignment: NLMSG_ALIGN and NLA_ALIGN are both 4 octets.</summary>
internal static class NetlinkAlignment
{
    /// <summary>NLMSG_ALIGNTO and NLA_ALIGNTO.</summary>
    public const int Boundary = 4;

    /// <summary>sizeof(struct nlmsghdr).</summary>
    public const int MessageHeaderLength = 16;

    /// <summary>NLA_HDRLEN.</summary>
    public const int AttributeHeaderLength = 4;

    /// <summary>Rounds a length up to the next boundary (NLMSG_ALIGN / NLA_ALIGN).</summary>
    public static int Align(int length) => (length + Boundary - 1) & ~(Boundary - 1);
}
