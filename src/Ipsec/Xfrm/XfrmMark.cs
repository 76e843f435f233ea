namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>An SA or policy mark (struct xfrm_mark): it applies to packets whose fwmark &amp; Mask equals Value.</summary>
/// <param name="Value">The mark value.</param>
/// <param name="Mask">The mask.</param>
public readonly record struct XfrmMark(uint Value, uint Mask);
