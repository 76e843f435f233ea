namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>A policy was added, updated or deleted.</summary>
/// <param name="Change">What happened.</param>
/// <param name="Policy">The policy as the kernel reported it.</param>
public sealed record XfrmPolicyEvent(XfrmChange Change, XfrmPolicy Policy) : XfrmEvent;
