namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>XFRM_MSG_EXPIRE: an SA reached a soft limit (rekey now) or a hard limit (it is gone).</summary>
/// <param name="State">The SA.</param>
/// <param name="IsHard">True for a hard expiry.</param>
public sealed record XfrmExpireEvent(XfrmState State, bool IsHard) : XfrmEvent;
