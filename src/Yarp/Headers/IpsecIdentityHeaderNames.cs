namespace CbbToolkit.Yarp.Headers;

/// <summary>The identity headers the proxy sets (docs/yarp.md "The CBB-Identity header").</summary>
public static class IpsecIdentityHeaderNames
{
    /// <summary>The verified identity of the client's channel: an RFC 8941 dictionary.</summary>
    public const string CbbIdentity = "CBB-Identity";

    /// <summary>RFC 9440: the client's TLS certificate, an RFC 8941 byte sequence of its DER.</summary>
    public const string ClientCert = "Client-Cert";

    /// <summary>RFC 9440: the rest of the client's certificate chain. The proxy does not set it; it always removes it.</summary>
    public const string ClientCertChain = "Client-Cert-Chain";

    /// <summary>
    /// The headers removed from every request before it is forwarded: the ones the proxy sets and the common
    /// identity headers of other proxies (Envoy's XFCC, nginx, ARR), so that no backend trusts a client-written one.
    /// </summary>
    public static IReadOnlyList<string> Sanitized { get; } =
    [
        CbbIdentity,
        ClientCert,
        ClientCertChain,
        "X-Forwarded-Client-Cert",
        "X-Client-Cert",
        "X-SSL-Client-Cert",
        "X-ARR-ClientCert",
    ];
}
