namespace CbbToolkit.Yarp.Identity;

/// <summary>
/// What the <c>IpsecIdentity</c> transform does with identity headers, after Envoy's <c>forward_client_cert_details</c>.
/// Whatever the mode, the identity headers the client sent never reach the backend (docs/yarp.md "Trust model").
/// </summary>
public enum IpsecIdentityMode
{
    /// <summary>Remove every identity header; send none (Envoy's SANITIZE). What every route does without the transform.</summary>
    Sanitize = 0,

    /// <summary>Remove every identity header the client sent, then set the verified identity of the client's channel (SANITIZE_SET).</summary>
    Set = 1,

    /// <summary>
    /// For chains of proxies (APPEND_FORWARD): when the client is itself a proxy on
    /// <see cref="IpsecProxyOptions.TrustedUpstreamProxies"/> over a verified channel, keep the identity it forwarded and
    /// append its IKE id to the header's <c>via</c> list; from anyone else, as <see cref="Set"/>.
    /// </summary>
    Append = 2,
}
