namespace CbbToolkit.Ipsec.Netlink;

/// <summary>Receives one reply message of an exchange; the span is valid only during the call.</summary>
internal delegate void NetlinkMessageCallback(in NetlinkMessageHeader header, ReadOnlySpan<byte> payload);
