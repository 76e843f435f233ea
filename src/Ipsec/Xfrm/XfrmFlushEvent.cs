namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>All SAs (of a protocol) or all policies were flushed.</summary>
/// <param name="IsPolicyFlush">True for a policy flush, false for an SA flush.</param>
/// <param name="Protocol">For an SA flush, the protocol flushed: <see cref="XfrmProtocol.Any"/> for ESP, AH and IPComp,
/// (XfrmProtocol)0 for every SA whatever its protocol (what <c>ip xfrm state flush</c> sends).</param>
public sealed record XfrmFlushEvent(bool IsPolicyFlush, XfrmProtocol? Protocol) : XfrmEvent;
