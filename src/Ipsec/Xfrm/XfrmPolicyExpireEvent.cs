namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>XFRM_MSG_POLEXPIRE: a policy reached a soft or hard limit.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="IsHard">True for a hard expiry.</param>
public sealed record XfrmPolicyExpireEvent(XfrmPolicy Policy, bool IsHard) : XfrmEvent;
