using System.Net.Sockets;

namespace CbbToolkit.Ipsec.Resolution;

/// <summary>
/// Settings of an <see cref="IpsecChannelResolver"/> (the .NET options pattern: bind it from configuration or set it in
/// code; checked by <see cref="IpsecChannelResolverOptionsValidator"/>, and by the resolver when it is created, which
/// keeps a copy).
/// </summary>
public sealed class IpsecChannelResolverOptions
{
    /// <summary>The longest <see cref="PeerLookupTimeout"/> accepted.</summary>
    public static readonly TimeSpan MaxPeerLookupTimeout = TimeSpan.FromDays(1);

    /// <summary>
    /// How long the peer source may take before the channel is returned without a peer. Default 5 seconds; positive, at
    /// most <see cref="MaxPeerLookupTimeout"/>.
    /// </summary>
    public TimeSpan PeerLookupTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When true, a channel whose peer the peer source cannot name is reported as not protected
    /// (<see cref="IpsecNotProtectedReason.KeyManagerUnreachable"/> or <see cref="IpsecNotProtectedReason.PeerUnknown"/>).
    /// Default false.
    /// </summary>
    public bool RequirePeer { get; set; }

    /// <summary>
    /// The per-socket policies set on a socket, for <see cref="IpsecChannelResolver.ResolveAsync(Socket, CancellationToken)"/>:
    /// the kernel cannot read them back, so whoever set them must say. Null (the default) uses what this library set
    /// (<see cref="IpsecSocketPolicies.FromSocket"/>). Code only: configuration cannot bind a delegate.
    /// </summary>
    public Func<Socket, IpsecSocketPolicies?>? SocketPolicies { get; set; }

    internal IpsecChannelResolverOptions Clone() => (IpsecChannelResolverOptions)MemberwiseClone();
}
