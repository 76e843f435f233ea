using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Latching;

/// <summary>What a connection latch is latched to (RFC 5660 INQUIRE_LATCH's parameters). The SPIs follow congruent rekeys.</summary>
public sealed record IpsecLatchParameters
{
    /// <summary>The channel as of the last congruent rekey (SPIs current), with its peer.</summary>
    public required IpsecChannel Channel { get; init; }

    /// <summary>The peer's IKE identity latched (interned), or null when none was known.</summary>
    public string? PeerId { get; init; }

    /// <summary>Our IKE identity latched, or null.</summary>
    public string? LocalId { get; init; }

    /// <summary>The peer as the key manager described it when latched, or null.</summary>
    public IpsecPeer? Peer { get; init; }

    /// <summary>The QoP the latch requires, or null.</summary>
    public IpsecQop? Qop { get; init; }

    /// <summary>ESP or AH.</summary>
    public XfrmProtocol Protocol => Channel.Protocol;

    /// <summary>Transport or tunnel.</summary>
    public XfrmMode Mode => Channel.Mode;

    /// <summary>The outbound SA's reqid.</summary>
    public uint RequestId => Channel.Outbound.RequestId;

    /// <summary>Algorithm names, outbound (inbound are congruent).</summary>
    public IReadOnlyList<string> Algorithms => Channel.Outbound.AlgorithmNames();

    /// <summary>RFC 5660 section 2.1.</summary>
    public bool IsQopIndeterminate => Channel.IsQopIndeterminate;
}
