namespace CbbToolkit.Ipsec.Netlink;

/// <summary>How a request ends: a dump ends with NLMSG_DONE, a get with its one reply, a change with its ACK.</summary>
internal enum NetlinkExchangeKind
{
    Dump,
    Get,
    Ack,
}
