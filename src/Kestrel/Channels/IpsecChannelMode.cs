namespace CbbToolkit.Kestrel;

/// <summary>
/// What an endpoint does with a connection whose IPsec channel is not verified (compare Istio's PeerAuthentication modes).
/// </summary>
public enum IpsecChannelMode
{
    /// <summary>The channel is not looked at; the connection's <see cref="IIpsecChannelFeature"/> says so.</summary>
    Disabled = 0,

    /// <summary>Every connection is resolved, verified and latched, and the outcome reported; nothing is refused.</summary>
    Permissive = 1,

    /// <summary>A connection whose channel is not verified is closed before any application byte is read.</summary>
    Strict = 2,
}
