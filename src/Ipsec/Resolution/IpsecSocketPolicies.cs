using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Resolution;

/// <summary>
/// The per-socket policies set on one socket (the kernel cannot read them back, so whoever set them supplies them).
/// A socket policy whose selector covers the flow wins over the whole SPD in its direction, as in the kernel.
/// </summary>
/// <param name="Outbound">The socket's outbound policy, or null.</param>
/// <param name="Inbound">The socket's inbound policy, or null.</param>
public sealed record IpsecSocketPolicies(XfrmPolicy? Outbound, XfrmPolicy? Inbound);
