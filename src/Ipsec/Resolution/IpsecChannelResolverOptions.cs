using System.Net.Sockets;

namespace CbbToolkit.Ipsec.Resolution;

/// <summary>Settings of an <see cref="IpsecChannelResolver"/>.</summary>
public sealed record IpsecChannelResolverOptions
{
    /// <summary>How long the peer source may take before the channel is returned without a peer.</summary>
    public TimeSpan PeerLookupTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When true, a channel whose peer the peer source cannot name is reported as not protected
    /// (<see cref="IpsecNotProtectedReason.KeyManagerUnreachable"/> or <see cref="IpsecNotProtectedReason.PeerUnknown"/>).
    /// </summary>
    public bool RequirePeer { get; init; }

    /// <summary>
    /// The per-socket policies set on a socket, for <see cref="IpsecChannelResolver.ResolveAsync(Socket, CancellationToken)"/>:
    /// the kernel cannot read them back, so whoever set them must say. Null (the default) uses what this library set
    /// (<see cref="IpsecSocketPolicies.FromSocket"/>).
    /// </summary>
    public Func<Socket, IpsecSocketPolicies?>? SocketPolicies { get; init; }
}
