using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Resolution;

/// <summary>
/// The IPsec channel that protects a flow: the SA pair the kernel uses for it (matched through the policies and their
/// templates), the policies, and the peer when a peer source knows it. Holds no keys.
/// </summary>
public sealed class IpsecChannel
{
    internal IpsecChannel(IpsecFlow flow, IpsecSaInfo outbound, IpsecSaInfo inbound, IReadOnlyList<IpsecSaInfo> outboundBundle,
        IReadOnlyList<IpsecSaInfo> inboundBundle, XfrmPolicy outboundPolicy, XfrmPolicy inboundPolicy, bool isQopIndeterminate)
    {
        Flow = flow;
        Outbound = outbound;
        Inbound = inbound;
        OutboundBundle = outboundBundle;
        InboundBundle = inboundBundle;
        OutboundPolicy = outboundPolicy;
        InboundPolicy = inboundPolicy;
        IsQopIndeterminate = isQopIndeterminate;
    }

    /// <summary>The flow this channel protects.</summary>
    public IpsecFlow Flow { get; }

    /// <summary>The SA that protects what we send (the ESP one, else the AH one, of the outbound bundle).</summary>
    public IpsecSaInfo Outbound { get; }

    /// <summary>The SA that protects what we receive.</summary>
    public IpsecSaInfo Inbound { get; }

    /// <summary>Every SA of the outbound bundle, innermost first (IPComp included).</summary>
    public IReadOnlyList<IpsecSaInfo> OutboundBundle { get; }

    /// <summary>Every SA of the inbound bundle, innermost first.</summary>
    public IReadOnlyList<IpsecSaInfo> InboundBundle { get; }

    /// <summary>The outbound policy that applies (direction out, or socket-out for a socket policy).</summary>
    public XfrmPolicy OutboundPolicy { get; }

    /// <summary>The inbound policy that applies (direction in, or socket-in).</summary>
    public XfrmPolicy InboundPolicy { get; }

    /// <summary>
    /// RFC 5660 section 2.1: true unless both SAs' selectors are narrowed to exactly this 5-tuple; SAs that may carry
    /// other flows make the quality of protection indeterminate.
    /// </summary>
    public bool IsQopIndeterminate { get; }

    /// <summary>IPsec protocol of the channel (that of the outbound SA).</summary>
    public XfrmProtocol Protocol => Outbound.Protocol;

    /// <summary>Transport or tunnel.</summary>
    public XfrmMode Mode => Outbound.Mode;

    /// <summary>The peer, when the peer source named it; see <see cref="PeerStatus"/> otherwise.</summary>
    public IpsecPeer? Peer { get; private init; }

    /// <summary>What the peer source said.</summary>
    public IpsecPeerStatus PeerStatus { get; private init; }

    /// <summary>Why <see cref="Peer"/> is null, when it is.</summary>
    public string? PeerMessage { get; private init; }

    /// <summary>Both directions provide integrity.</summary>
    public bool ProvidesIntegrity => Outbound.ProvidesIntegrity && Inbound.ProvidesIntegrity;

    /// <summary>Both directions provide confidentiality.</summary>
    public bool ProvidesConfidentiality => Outbound.ProvidesConfidentiality && Inbound.ProvidesConfidentiality;

    /// <summary>"esp/transport out 0x... in 0x... reqid N peer b.test".</summary>
    public override string ToString() =>
        $"{Protocol.ToString().ToLowerInvariant()}/{Mode.ToString().ToLowerInvariant()} out 0x{Outbound.Spi:x8} in 0x{Inbound.Spi:x8} " +
        $"reqid {Outbound.RequestId}" + (Peer is null ? $" peer {PeerStatus}" : $" peer {Peer.RemoteId}");

    internal IpsecChannel WithPeer(IpsecPeerStatus status, IpsecPeer? peer, string? message) =>
        new(Flow, Outbound, Inbound, OutboundBundle, InboundBundle, OutboundPolicy, InboundPolicy, IsQopIndeterminate)
        {
            Peer = peer,
            PeerStatus = status,
            PeerMessage = message,
        };
}
