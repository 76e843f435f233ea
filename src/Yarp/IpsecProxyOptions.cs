using CbbToolkit.Http;

namespace CbbToolkit.Yarp;

/// <summary>Options of <c>AddIpsecChannelBinding</c> (docs/yarp.md).</summary>
public sealed class IpsecProxyOptions
{
    /// <summary>
    /// Headers removed from every forwarded request besides <see cref="Headers.IpsecIdentityHeaderNames.Sanitized"/>:
    /// identity headers some backend of yours trusts. Compared case-insensitively.
    /// </summary>
    public IList<string> AdditionalSanitizedHeaders { get; } = [];

    /// <summary>
    /// The IKE ids of the proxies in front of this one whose forwarded identity a route in mode
    /// <see cref="Identity.IpsecIdentityMode.Append"/> keeps, when they connect over a verified channel. Exact, ordinal.
    /// Empty (default): Append behaves as Set.
    /// </summary>
    public IList<string> TrustedUpstreamProxies { get; } = [];

    /// <summary>
    /// Sets what cluster metadata cannot say, per cluster (its id is the first argument): TLS settings (client
    /// certificate, server validation), the IPsec policy, the socket factory. Runs after the metadata was applied.
    /// </summary>
    public Action<string, IpsecChannelOptions>? ConfigureCluster { get; set; }
}
