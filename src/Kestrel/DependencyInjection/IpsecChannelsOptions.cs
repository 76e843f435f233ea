using CbbToolkit.Ipsec;

namespace CbbToolkit.Kestrel;

/// <summary>
/// Process-wide settings of <c>services.AddIpsecChannels(...)</c>: which kernel to follow, whether start-up fails when it
/// cannot be read, and what makes a peer trusted ("verified", docs/kestrel.md). Checked once at start-up
/// (<see cref="IpsecChannelsOptionsValidator"/>, ValidateOnStart). The resolver, latch database and VICI client keep their
/// own options (<c>IpsecChannelResolverOptions</c>, <c>IpsecLatchDatabaseOptions</c>, <c>ViciClientOptions</c>).
/// </summary>
public sealed class IpsecChannelsOptions
{
    /// <summary>The network namespace (ip netns name) whose kernel is followed, or null for the process's own.</summary>
    public string? NetworkNamespace { get; set; }

    /// <summary>
    /// When true (the default), host start-up fails with an <see cref="InvalidOperationException"/> naming the cause when
    /// the kernel's IPsec state cannot be read (no CAP_NET_ADMIN, no XFRM). When false the host starts and every
    /// connection's channel is <see cref="IpsecChannelStatus.Error"/> until the kernel can be read (fail closed).
    /// </summary>
    public bool RequireKernelAccess { get; set; } = true;

    /// <summary>How long start-up waits for the first dump of the kernel's SAs and policies.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The IKE authentication methods a verified peer must have used. Default: certificates (PkixTrusted, PkixOffline) and
    /// configured raw public keys. NULL and BTNS authentication are never trusted here: such peers are
    /// <see cref="IpsecChannelStatus.PeerNotTrusted"/> until a channel binding proves them.
    /// </summary>
    public ISet<IpsecAuthenticationMethod> TrustedAuthenticationMethods { get; } = new HashSet<IpsecAuthenticationMethod>
    {
        IpsecAuthenticationMethod.PkixTrusted,
        IpsecAuthenticationMethod.PkixOffline,
        IpsecAuthenticationMethod.RawPublicKey,
    };

    /// <summary>
    /// Patterns a verified peer's IKE identity must match (ordinal; <c>*</c> matches any run of characters, e.g.
    /// <c>*.svc.example</c>); empty (the default) accepts any non-empty identity authenticated by a trusted method.
    /// </summary>
    public IList<string> TrustedPeerIds { get; } = [];
}
