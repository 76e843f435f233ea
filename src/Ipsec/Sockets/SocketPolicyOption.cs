using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CbbToolkit.Ipsec.Interop;

namespace CbbToolkit.Ipsec.Sockets;

/// <summary>
/// setsockopt(IP_XFRM_POLICY / IPV6_XFRM_POLICY): one direction per call; a NULL, zero-length value clears both.
/// The option follows the socket's family (an IPv6 socket always takes IPV6_XFRM_POLICY), the selector's family
/// follows the traffic: IPv4 on a dual-stack socket needs an IPv4 selector.
/// </summary>
internal static class SocketPolicyOption
{
    private const int SolIp = 0;
    private const int IpXfrmPolicy = 17;
    private const int SolIpv6 = 41;
    private const int Ipv6XfrmPolicy = 35;

    public static (int Level, int Name) For(Socket socket) => socket.AddressFamily switch
    {
        AddressFamily.InterNetwork => (SolIp, IpXfrmPolicy),
        AddressFamily.InterNetworkV6 => (SolIpv6, Ipv6XfrmPolicy),
        _ => throw new IpsecException(IpsecError.NotSupported,
            $"IPsec socket policies apply to IPv4 and IPv6 sockets, not {socket.AddressFamily}."),
    };

    /// <summary>
    /// The selector family for traffic of this socket to <paramref name="peer"/>. Linux matches a socket policy only
    /// when its family equals the flow's, so a dual-stack socket without a known peer cannot be covered (fail closed).
    /// </summary>
    public static AddressFamily SelectorFamily(Socket socket, IPAddress? peer)
    {
        if (socket.AddressFamily == AddressFamily.InterNetwork)
        {
            if (peer is not null && Normalize(peer).AddressFamily != AddressFamily.InterNetwork)
            {
                throw new ArgumentException($"An IPv4 socket cannot reach the peer {peer}.", nameof(peer));
            }

            return AddressFamily.InterNetwork;
        }

        if (peer is not null)
        {
            return Normalize(peer).AddressFamily;
        }

        if (socket.DualMode)
        {
            throw new IpsecException(IpsecError.NotSupported,
                "This IPv6 socket is dual-stack: Linux keeps one policy per direction and matches it only against traffic of " +
                "the policy's address family, so IPv4 traffic would bypass an IPv6 policy. Pass the peer end point (its family " +
                "picks the selector), or set DualMode = false.");
        }

        return AddressFamily.InterNetworkV6;
    }

    /// <summary>IPv4-mapped IPv6 addresses travel as IPv4 on the wire.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>Sets one direction. P/Invoke keeps the raw errno: the runtime reports EPERM as EACCES.</summary>
    public static unsafe void Set(Socket socket, byte[] value, string what)
    {
        var (level, name) = For(socket);
        fixed (byte* v = value)
        {
            if (Libc.SetSockOpt(socket.SafeHandle, level, name, v, (uint)value.Length) != 0)
            {
                throw Error(Marshal.GetLastPInvokeError(), what, null);
            }
        }
    }

    /// <summary>Clears both directions. The runtime passes a non-NULL pointer for an empty span (EFAULT), hence P/Invoke.</summary>
    public static unsafe void Clear(Socket socket)
    {
        var (level, name) = For(socket);
        if (Libc.SetSockOpt(socket.SafeHandle, level, name, null, 0) != 0)
        {
            throw Error(Marshal.GetLastPInvokeError(), "clearing the socket's IPsec policy", null);
        }
    }

    private static IpsecException Error(int errno, string what, Exception? inner) => errno switch
    {
        LinuxErrno.EPERM => new IpsecException(IpsecError.PermissionDenied,
            $"{what} failed: needs CAP_NET_ADMIN in this network namespace (EPERM).", inner),
        LinuxErrno.EINVAL => new IpsecException(IpsecError.InvalidArgument,
            $"{what} failed: the kernel rejected the policy (EINVAL). Either a field is invalid, or no key manager " +
            "compiled it (is the xfrm_user module loaded?).", inner),
        LinuxErrno.ENOPROTOOPT => new IpsecException(IpsecError.ProtocolOptionUnavailable,
            $"{what} failed: this kernel has no per-socket IPsec policy (ENOPROTOOPT; CONFIG_XFRM missing).", inner),
        _ => new IpsecException(LinuxErrno.ToIpsecError(errno), $"{what} failed: {LinuxErrno.Name(errno)}.", inner),
    };
}
