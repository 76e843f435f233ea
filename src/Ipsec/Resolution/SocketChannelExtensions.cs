using System.Net.Sockets;
using CbbToolkit.Ipsec.Sockets;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Resolution;

/// <summary>
/// "Which IPsec channel protects this socket's connection": the resolver's one-shot answer for a connected socket,
/// read from the kernel of the socket's own network namespace, with the per-socket policy this library set on it.
/// </summary>
public static class SocketChannelExtensions
{
    /// <summary>
    /// Resolves the IPsec channel of a connected socket once: dumps the SPD and SAD of the socket's network namespace
    /// (not the caller's), matches them with the socket's own policies, and asks <paramref name="peerSource"/> (if any)
    /// who the peer is. For many lookups keep an <see cref="IpsecChannelResolver"/> over an <see cref="XfrmStateCache"/>.
    /// </summary>
    /// <returns>The channel, or why there is none (including NoPrivilege without CAP_NET_ADMIN).</returns>
    /// <exception cref="IpsecException">NotConnected when the socket has no remote end point (or is closed).</exception>
    public static async Task<IpsecChannelResolution> ResolveIpsecChannelAsync(this Socket socket, IIpsecPeerSource? peerSource = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var flow = IpsecFlow.FromSocket(socket);
        var policies = IpsecSocketPolicies.FromSocket(socket);
        using var ns = TryOpenNamespace(socket, out var failure);
        if (ns is null)
        {
            return IpsecChannelResolution.NotProtected(flow,
                failure!.Error == IpsecError.PermissionDenied ? IpsecNotProtectedReason.NoPrivilege : IpsecNotProtectedReason.BackendError, failure.Message);
        }

        using var client = XfrmClient.Open(ns.Path);
        return await IpsecChannelResolver.ResolveOnceAsync(client, flow, peerSource, policies, cancellationToken).ConfigureAwait(false);
    }

    // The socket's network namespace, or null with the reason it cannot be entered (e.g. no CAP_SYS_ADMIN).
    private static SocketNamespace? TryOpenNamespace(Socket socket, out IpsecException? failure)
    {
        try
        {
            failure = null;
            return SocketNamespace.Of(socket);
        }
        catch (IpsecException e)
        {
            failure = e;
            return null;
        }
    }
}
