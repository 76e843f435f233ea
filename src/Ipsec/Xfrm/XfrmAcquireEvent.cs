using System.Net;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>
/// XFRM_MSG_ACQUIRE: traffic matched a policy whose template has no SA, and the kernel asks key management for one.
/// The kernel sends one per (addresses, protocol, mode, reqid) while the larval SA lives (net.core.xfrm_acq_expires).
/// </summary>
/// <param name="Selector">The triggering flow (source port 0 unless the socket was bound).</param>
/// <param name="Destination">The SA destination key management should negotiate with.</param>
/// <param name="Source">The SA source.</param>
/// <param name="Protocol">The template's protocol.</param>
/// <param name="Sequence">The acquire sequence number an answering SA may carry.</param>
/// <param name="Policy">The policy that matched, templates included.</param>
public sealed record XfrmAcquireEvent(XfrmSelector Selector, IPAddress Destination, IPAddress Source, XfrmProtocol Protocol,
    uint Sequence, XfrmPolicy Policy) : XfrmEvent;
