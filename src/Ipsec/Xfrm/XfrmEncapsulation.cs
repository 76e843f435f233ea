using System.Net;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>UDP (or TCP) encapsulation of ESP for NAT traversal (struct xfrm_encap_tmpl).</summary>
/// <param name="Type">The encapsulation.</param>
/// <param name="SourcePort">The outer source port (4500 usually).</param>
/// <param name="DestinationPort">The outer destination port.</param>
/// <param name="OriginalAddress">The peer's address before NAT, or any.</param>
public sealed record XfrmEncapsulation(XfrmEncapsulationType Type, ushort SourcePort, ushort DestinationPort, IPAddress OriginalAddress);
