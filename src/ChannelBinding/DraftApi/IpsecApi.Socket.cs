using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Sockets;

namespace CbbToolkit.Channels.DraftApi;

// Draft sections 2.1.3 (per-socket policy) and 2.2.3 (per-socket channel information), over src/Ipsec/Sockets and the
// resolver. docs/api.md lists the values each returns; docs/ipsec-backend.md what the kernel does with a socket policy.
[SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "The draft's functions return error values; nothing may escape.")]
public static partial class IpsecApi
{
    /// <summary>
    /// <c>ipsec_set_socket_policy</c>: attaches a copy of the policy to the socket, both directions, in the kernel
    /// (IP_XFRM_POLICY / IPV6_XFRM_POLICY). A connected socket's peer picks the selector family (dual-stack sockets)
    /// and the tunnel end point. Later changes to the handle do not change the socket's policy; set it again.
    /// </summary>
    /// <returns>0; EINVAL for a null or closed socket, a null or freed handle, or a policy Linux cannot express (tunnel
    /// mode on an unconnected socket); EPERM without CAP_NET_ADMIN; EOPNOTSUPP for a non-IP socket or an unconnected
    /// dual-stack one (its IPv4 traffic would bypass the policy); ENOPROTOOPT on a kernel without XFRM; ENOMEM, ENOBUFS.</returns>
    public static int ipsec_set_socket_policy(Socket? fd, IpsecPolicyHandle? policy)
    {
        if (fd is null || policy?.Current is not { } current)
        {
            return Einval;
        }

        try
        {
            fd.SetIpsecPolicy(current, RemoteOf(fd));
            return Ok;
        }
        catch (Exception e)
        {
            return ErrorOf(e);
        }
    }

    /// <summary>
    /// <c>ipsec_get_socket_policy</c>: a new handle (the caller frees it) with the policy this library attached to the
    /// socket. The kernel cannot report a socket policy (ENOPROTOOPT), so the library's own record answers: a policy
    /// set by other code, or inherited by an accepted socket from its listener, is not known.
    /// </summary>
    /// <returns>0; EINVAL for a null socket; ENOENT when no policy was set (or it was cleared). On failure
    /// <paramref name="policy"/> is null.</returns>
    public static int ipsec_get_socket_policy(Socket? fd, out IpsecPolicyHandle? policy)
    {
        policy = null;
        if (fd is null)
        {
            return Einval;
        }

        try
        {
            if (fd.GetIpsecPolicy() is not { } current)
            {
                return (int)IpsecError.NotFound;
            }

            policy = new IpsecPolicyHandle(current);
            return Ok;
        }
        catch (Exception e)
        {
            return ErrorOf(e);
        }
    }

    /// <summary>
    /// <c>ipsec_set_socket_channel_info</c>: the channel the application requires of this socket - typically the one it
    /// saw before (leap of faith). <see cref="ipsec_get_socket_channel_info(Socket?, out ChannelInfoHandle?)"/> then fails with EKEYREJECTED when the
    /// socket's current channel differs in the peer's identity (ipsec-peer-id, ipsec-auth-method, ipsec-peer-public-key,
    /// the ipsec-*-sha256 and ipsec-sa-binding values) or the kind of protection (ipsec-protocol, ipsec-mode). Other
    /// attributes (SPIs, reqid, algorithms, created-at) change with every connection and rekey and are not compared.
    /// A copy is kept for as long as the Socket object lives; a second call replaces it.
    /// </summary>
    /// <returns>0; EINVAL for a null or closed socket, a null or freed handle, or information with none of the compared
    /// attributes (nothing could be checked: fail closed).</returns>
    public static int ipsec_set_socket_channel_info(Socket? fd, ChannelInfoHandle? ci) =>
        ipsec_set_socket_channel_info(IpsecApiContext.Default, fd, ci);

    /// <summary>
    /// <c>ipsec_set_socket_channel_info</c> in <paramref name="context"/>: <see cref="ipsec_get_socket_channel_info(IpsecApiContext?, Socket?, out ChannelInfoHandle?)"/>
    /// with the same context checks the requirement.
    /// </summary>
    /// <returns>As <see cref="ipsec_set_socket_channel_info(Socket?, ChannelInfoHandle?)"/>; EINVAL for a null context.</returns>
    public static int ipsec_set_socket_channel_info(IpsecApiContext? context, Socket? fd, ChannelInfoHandle? ci)
    {
        if (context is null || fd is null || ci?.Current is not { } expected || !ChannelPin.CanPin(expected) || fd.SafeHandle.IsClosed)
        {
            return Einval;
        }

        try
        {
            context.Require(fd, expected.Duplicate());
            return Ok;
        }
        catch (Exception e)
        {
            return ErrorOf(e);
        }
    }

    /// <summary>
    /// <c>ipsec_get_socket_channel_info</c>: a new handle (the caller frees it) with the IPsec channel that protects the
    /// connected socket now, found the way the kernel matches (the socket's own policy first, then the SPD, then the SA
    /// pair): ipsec-protocol, ipsec-mode, both SPIs, ipsec-reqid, ipsec-algorithms, qop-indeterminate, created-at, and
    /// the peer's ipsec-peer-id, ipsec-auth-method and ipsec-peer-public-key when the key manager named it
    /// (<see cref="IpsecApiContext.ChannelResolver"/>; this overload uses <see cref="IpsecApiContext.Default"/>, which
    /// has none). Blocks while the kernel (and the IKE daemon) answer.
    /// </summary>
    /// <returns>0; EINVAL for a null socket; ENOTCONN when it is not connected (or closed); the resolver's reason when
    /// the connection is not protected: ENOENT (no policy covers it, the policy lets it pass in clear, or the answer is
    /// ambiguous), EACCES (a policy blocks it), EAGAIN (a policy needs an SA that key management has not set up yet),
    /// EPERM (reading the kernel needs CAP_NET_ADMIN), ENOPROTOOPT (the kernel could not be read), ECONNREFUSED (the
    /// resolver requires the peer and the IKE daemon is unreachable); and, when a channel was required with
    /// <see cref="ipsec_set_socket_channel_info(Socket?, ChannelInfoHandle?)"/>, EKEYREJECTED if this one differs or its peer cannot be named,
    /// ECONNREFUSED if the IKE daemon that would name it cannot be reached. On failure <paramref name="ci"/> is null.</returns>
    public static int ipsec_get_socket_channel_info(Socket? fd, out ChannelInfoHandle? ci) =>
        ipsec_get_socket_channel_info(IpsecApiContext.Default, fd, out ci);

    /// <summary>
    /// <c>ipsec_get_socket_channel_info</c> in <paramref name="context"/>: its resolver finds the channel, its clock
    /// gives created-at, and a channel required with <see cref="ipsec_set_socket_channel_info(IpsecApiContext?, Socket?, ChannelInfoHandle?)"/>
    /// on the same context is checked.
    /// </summary>
    /// <returns>As <see cref="ipsec_get_socket_channel_info(Socket?, out ChannelInfoHandle?)"/>; EINVAL for a null context.</returns>
    public static int ipsec_get_socket_channel_info(IpsecApiContext? context, Socket? fd, out ChannelInfoHandle? ci)
    {
        ci = null;
        if (context is null || fd is null)
        {
            return Einval;
        }

        try
        {
            var resolution = Resolve(context.ChannelResolver, fd);
            if (resolution.Channel is not { } channel)
            {
                return (int)resolution.Error;
            }

            var current = IpsecChannelInfoConverter.FromChannel(channel, context.TimeProvider);
            if (context.RequiredOf(fd) is { } expected && ChannelPin.Check(expected, current, channel.PeerStatus) is var refused
                && refused != IpsecError.None)
            {
                return (int)refused;
            }

            ci = new ChannelInfoHandle(current);
            return Ok;
        }
        catch (Exception e)
        {
            return ErrorOf(e);
        }
    }

    // The facade is synchronous like the C API it mirrors; the resolver's I/O runs to completion on the pool.
    private static IpsecChannelResolution Resolve(IpsecChannelResolver? resolver, Socket fd)
    {
        var flow = IpsecFlow.FromSocket(fd); // ENOTCONN before any kernel work
        return Task.Run(async () => resolver is null
                ? await fd.ResolveIpsecChannelAsync().ConfigureAwait(false)
                : await resolver.ResolveAsync(flow, resolver.GetSocketPolicies(fd)).ConfigureAwait(false))
            .GetAwaiter().GetResult();
    }

    private static IPEndPoint? RemoteOf(Socket fd)
    {
        try
        {
            return fd.Connected ? fd.RemoteEndPoint as IPEndPoint : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
