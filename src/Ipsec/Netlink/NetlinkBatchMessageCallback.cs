namespace CbbToolkit.Ipsec.Netlink;

/// <summary>Receives one reply message of a batched exchange; <paramref name="index"/> is its request's place in the batch.</summary>
internal delegate void NetlinkBatchMessageCallback(int index, in NetlinkMessageHeader header, ReadOnlySpan<byte> payload);
