namespace CbbToolkit.Http;

/// <summary>What the pin store said about a connection's server.</summary>
public enum IpsecPinState
{
    /// <summary>No pin check: no pin store configured, or no TLS on the connection.</summary>
    None = 0,

    /// <summary>The store has no pin for the authority (first contact).</summary>
    Unknown,

    /// <summary>The server presented the pinned TLS key and IPsec identity.</summary>
    Matched,
}
