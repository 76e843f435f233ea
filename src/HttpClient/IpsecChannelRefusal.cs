namespace CbbToolkit.Http;

/// <summary>Why the handler refused a connection.</summary>
public enum IpsecChannelRefusal
{
    /// <summary>The connection is not protected by IPsec and the options require it.</summary>
    NotProtected = 1,

    /// <summary>The connection is protected, but key management did not name an authenticated peer.</summary>
    NotVerified,

    /// <summary>Key management set up no SA for the socket's policy in time.</summary>
    KeyManagementTimedOut,

    /// <summary>The per-socket IPsec policy could not be applied (e.g. no CAP_NET_ADMIN, no XFRM in the kernel).</summary>
    PolicyFailed,

    /// <summary>The channel's latch broke (the SA pair changed peer or went away) while the connection was in use.</summary>
    LatchBroken,

    /// <summary>The server's TLS handshake did not negotiate the application protocol the request needs (ALPN).</summary>
    ApplicationProtocolMismatch,
}
