namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>A message type the monitor does not decode (REPORT, MAPPING, MIGRATE, newer ones).</summary>
/// <param name="MessageType">The XFRM_MSG_* number.</param>
public sealed record XfrmOtherEvent(ushort MessageType) : XfrmEvent;
