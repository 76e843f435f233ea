namespace CbbToolkit.Kestrel.Forwarding;

/// <summary>
/// Options of <c>UseForwardedIpsecIdentity</c>: which proxies may forward identity headers to this backend. Like
/// ForwardedHeaders' KnownProxies, but the proxy is named by its IKE identity on a verified channel, not by address.
/// </summary>
public sealed class ForwardedIdentityOptions
{
    /// <summary>
    /// The IKE ids of the proxies whose identity headers are accepted (patterns: <c>*</c> matches any run of
    /// characters, as in <see cref="IpsecChannelsOptions.TrustedPeerIds"/>). Empty (default): nobody's.
    /// </summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>
    /// The identity headers: kept from a known proxy, removed from anyone else. Default: CBB-Identity, Client-Cert,
    /// Client-Cert-Chain (docs/yarp.md) and the common identity headers of other proxies.
    /// </summary>
    public IList<string> Headers { get; } =
    [
        "CBB-Identity",
        "Client-Cert",
        "Client-Cert-Chain",
        "X-Forwarded-Client-Cert",
        "X-Client-Cert",
        "X-SSL-Client-Cert",
        "X-ARR-ClientCert",
    ];
}
