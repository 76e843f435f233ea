namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>An SA was added, updated or deleted.</summary>
/// <param name="Change">What happened.</param>
/// <param name="State">The SA as the kernel reported it.</param>
public sealed record XfrmStateEvent(XfrmChange Change, XfrmState State) : XfrmEvent;
