namespace CbbToolkit.Http;

/// <summary>What the handler demands of the IPsec channel under each connection it opens.</summary>
public enum IpsecChannelRequirement
{
    /// <summary>Any connection is used; an unprotected one is reported as such, never refused.</summary>
    AllowClear = 0,

    /// <summary>The connection must be carried by IPsec SAs in both directions; otherwise the request fails.</summary>
    RequireProtected,

    /// <summary>
    /// As <see cref="RequireProtected"/>, and key management must name the peer: IKE authenticated it (certificate,
    /// raw public key, PSK, EAP...), not an unauthenticated BTNS or NULL exchange.
    /// </summary>
    RequireVerified,
}
