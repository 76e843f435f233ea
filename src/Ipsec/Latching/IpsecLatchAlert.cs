using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Ipsec.Latching;

/// <summary>RFC 5660 ALERT: a latch changed state.</summary>
/// <param name="Handle">The latch.</param>
/// <param name="Flow">Its 5-tuple (null for a listener latch).</param>
/// <param name="PreviousState">The state it left.</param>
/// <param name="State">The state it entered.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record IpsecLatchAlert(IpsecLatchHandle Handle, IpsecFlow? Flow, IpsecLatchState PreviousState, IpsecLatchState State, string Reason);
