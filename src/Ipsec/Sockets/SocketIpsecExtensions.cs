using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Interop;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Timing;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Sockets;

/// <summary>
/// The draft's per-socket policy (section 2.1.3) on Linux: <c>ipsec_set_socket_policy</c> and
/// <c>ipsec_get_socket_policy</c> as Socket extensions, plus connect helpers that understand EAGAIN from the kernel.
/// </summary>
public static class SocketIpsecExtensions
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Attaches <paramref name="policy"/> to the socket in both directions (two setsockopt calls). The selector
    /// matches all traffic of the socket's family; <paramref name="peer"/> is needed for tunnel mode and on dual-stack
    /// IPv6 sockets, where its family picks the selector's. Replaces any policy set before.
    /// </summary>
    /// <exception cref="IpsecException">PermissionDenied without CAP_NET_ADMIN; NotSupported for a dual-stack socket
    /// without a peer or a non-IP socket; InvalidArgument when the kernel refuses the policy.</exception>
    /// <exception cref="ArgumentException">A policy Linux cannot express (tunnel mode without <paramref name="peer"/>, an
    /// optional outbound tunnel), or a peer an IPv4 socket cannot reach.</exception>
    public static void SetIpsecPolicy(this Socket socket, IpsecPolicy policy, IPEndPoint? peer = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(policy);
        var peerAddress = peer is null ? null : SocketPolicyOption.Normalize(peer.Address);
        var family = SocketPolicyOption.SelectorFamily(socket, peerAddress);
        var selector = XfrmSelector.Any(family);
        var outbound = XfrmPolicyCodec.EncodeSocketPolicy(IpsecPolicyTranslator.ToXfrmPolicy(policy, XfrmPolicyDirection.Out, selector, peerAddress));
        var inbound = XfrmPolicyCodec.EncodeSocketPolicy(IpsecPolicyTranslator.ToXfrmPolicy(policy, XfrmPolicyDirection.In, selector, peerAddress));

        SocketPolicyOption.Set(socket, outbound, "Setting the socket's outbound IPsec policy");
        try
        {
            SocketPolicyOption.Set(socket, inbound, "Setting the socket's inbound IPsec policy");
        }
        catch
        {
            ClearQuietly(socket); // never leave half a policy behind
            SocketPolicyRegistry.Remove(socket);
            throw;
        }

        SocketPolicyRegistry.Set(socket, new SocketPolicyRecord(policy, peer, family));
    }

    /// <summary>
    /// The policy this library set on the socket, or null. The kernel cannot report a socket policy (getsockopt gives
    /// ENOPROTOOPT), so policies set by other code, or inherited by an accepted socket from its listener, are not seen.
    /// </summary>
    public static IpsecPolicy? GetIpsecPolicy(this Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return SocketPolicyRegistry.Get(socket)?.Policy;
    }

    /// <summary>Removes the socket's policy in both directions; its traffic then follows the system's policy database.</summary>
    public static void ClearIpsecPolicy(this Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        SocketPolicyOption.Clear(socket);
        SocketPolicyRegistry.Remove(socket);
    }

    /// <summary>
    /// Connects once. When the socket's policy needs an SA that does not exist yet, the kernel fails connect() at once
    /// with EAGAIN after asking key management for one (ACQUIRE): that becomes <see cref="IpsecError.TryAgain"/>.
    /// </summary>
    /// <exception cref="IpsecException">TryAgain when no SA exists yet.</exception>
    /// <exception cref="SocketException">Any other connect failure.</exception>
    public static async Task ConnectIpsecAsync(this Socket socket, EndPoint remote, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(remote);
        ReapplyForPeerFamily(socket, remote);
        try
        {
            await socket.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e) when (e.NativeErrorCode == LinuxErrno.EAGAIN || e.SocketErrorCode == SocketError.WouldBlock)
        {
            throw new IpsecException(IpsecError.TryAgain,
                $"connect to {remote}: no IPsec SA yet (EAGAIN). The socket's policy needs one; the kernel has asked key " +
                "management for it (ACQUIRE). Retry, or use ConnectWithKeyManagementAsync.", e);
        }
    }

    /// <summary>
    /// Connects, retrying while key management negotiates the SA the policy needs (an IKE exchange takes about 2 s),
    /// and gives up after <paramref name="timeout"/> with <see cref="IpsecError.TimedOut"/> (apireq section 9).
    /// </summary>
    /// <exception cref="IpsecException">TimedOut when key management set up no SA in time.</exception>
    public static Task ConnectWithKeyManagementAsync(this Socket socket, EndPoint remote, TimeSpan timeout,
        CancellationToken cancellationToken = default) =>
        socket.ConnectWithKeyManagementAsync(remote, timeout, TimeProvider.System, cancellationToken);

    /// <summary>
    /// Connects, retrying while key management negotiates the SA the policy needs, with the retry delays (50 ms doubling
    /// up to 500 ms) and the <paramref name="timeout"/> measured on <paramref name="timeProvider"/>.
    /// </summary>
    /// <exception cref="IpsecException">TimedOut when key management set up no SA in time.</exception>
    public static async Task ConnectWithKeyManagementAsync(this Socket socket, EndPoint remote, TimeSpan timeout,
        TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        var backoff = new Backoff(FirstRetryDelay, MaxRetryDelay, timeProvider, deadline: timeout);
        while (true)
        {
            try
            {
                await socket.ConnectIpsecAsync(remote, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (IpsecException e) when (e.Error == IpsecError.TryAgain)
            {
                if (!await backoff.WaitAsync(cancellationToken).ConfigureAwait(false))
                {
                    var reqid = socket.GetIpsecPolicy()?.RequestId ?? 0;
                    throw new IpsecException(IpsecError.TimedOut,
                        $"Key management set up no SA for {remote} within {timeout.TotalSeconds:0.###} s ({backoff.Waits + 1} connect attempts, " +
                        $"each EAGAIN). Check that an IKE daemon runs, has a connection for this traffic (reqid {reqid}), and that the peer answers.",
                        e);
                }
            }
        }
    }

    /// <summary>A dual-stack socket's policy was set for one family; connecting to the other re-applies it for that one.</summary>
    private static void ReapplyForPeerFamily(Socket socket, EndPoint remote)
    {
        if (remote is IPEndPoint ip && SocketPolicyRegistry.Get(socket) is { } record && socket.AddressFamily == AddressFamily.InterNetworkV6
            && SocketPolicyOption.Normalize(ip.Address).AddressFamily != record.SelectorFamily)
        {
            socket.SetIpsecPolicy(record.Policy, ip);
        }
    }

    private static void ClearQuietly(Socket socket)
    {
        try
        {
            SocketPolicyOption.Clear(socket);
        }
        catch (IpsecException)
        {
        }
    }
}
