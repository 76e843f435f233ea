namespace CbbToolkit.Ipsec.Netlink;

/// <summary>
/// How one request of a batched exchange ended: answered by a message that went to the callback, refused by the kernel
/// (<see cref="Failure"/>), or neither (acknowledged without a message, or answered after an earlier request of the
/// batch had failed, which the callback never sees).
/// </summary>
internal readonly record struct NetlinkBatchOutcome(bool Answered, Exception? Failure);
