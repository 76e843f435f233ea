namespace CbbToolkit.Ipsec.Resolution;

/// <summary>What the peer source said about an IPsec channel's peer.</summary>
public enum IpsecPeerStatus
{
    /// <summary>No peer source is configured: nobody was asked.</summary>
    NotQueried = 0,
    /// <summary>The IKE daemon named the peer: <see cref="IpsecChannel.Peer"/> is set.</summary>
    Known,
    /// <summary>The IKE daemon does not know these SAs (manually keyed, or already gone).</summary>
    Unknown,
    /// <summary>The IKE daemon could not be reached.</summary>
    Unreachable,
    /// <summary>The lookup failed otherwise (ambiguous, malformed answer, timeout); the message says how.</summary>
    Failed,
}
