namespace CbbToolkit.Yarp.Identity;

/// <summary>The member keys of the <c>CBB-Identity</c> dictionary (docs/yarp.md "The CBB-Identity header").</summary>
public static class IpsecIdentityKeys
{
    /// <summary>String: the IKE identity of the client's peer, present when the channel is verified.</summary>
    public const string IkeId = "ike-id";

    /// <summary>Token: how IKE authenticated that peer (<c>pkix-trusted</c>, <c>preshared-key</c>, <c>raw-public-key</c>...).</summary>
    public const string IkeAuth = "ike-auth";

    /// <summary>Byte sequence: SHA-256 of the peer's IKE public key (SubjectPublicKeyInfo), when IKE used one.</summary>
    public const string PeerSpkiSha256 = "peer-spki-sha256";

    /// <summary>Token: <c>created</c> or <c>used</c>, when the connection created or proved a channel binding.</summary>
    public const string Binding = "binding";

    /// <summary>String: the name of the principal bound to that binding.</summary>
    public const string Principal = "principal";

    /// <summary>String: the authentication scheme that authenticated the bound principal.</summary>
    public const string PrincipalAuth = "principal-auth";

    /// <summary>Integer: the SA protocol (50 ESP, 51 AH).</summary>
    public const string IpsecProtocol = "ipsec-protocol";

    /// <summary>Token: <c>transport</c> or <c>tunnel</c>.</summary>
    public const string IpsecMode = "ipsec-mode";

    /// <summary>Integer: the inbound SA's SPI (as the proxy sees it).</summary>
    public const string SpiIn = "spi-in";

    /// <summary>Integer: the outbound SA's SPI.</summary>
    public const string SpiOut = "spi-out";

    /// <summary>String: the SA algorithm names (never keys), comma separated.</summary>
    public const string IpsecAlgorithms = "ipsec-algorithms";

    /// <summary>Byte sequence: ipsec-end-point-sha256 of the channel.</summary>
    public const string EndPointSha256 = "ipsec-end-point-sha256";

    /// <summary>Token: the RFC 5660 latch state when the header was written (<c>established</c>).</summary>
    public const string Latch = "latch";

    /// <summary>Boolean: whether TLS carried the client's request to the proxy.</summary>
    public const string Tls = "tls";

    /// <summary>Inner list of strings: the IKE ids of the proxies the identity came through (mode Append).</summary>
    public const string Via = "via";
}
