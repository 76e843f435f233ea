using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CbbToolkit.Ipsec.Interop;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Sockets;

/// <summary>
/// The draft's per-datagram policy (section 2.1.4) as far as Linux can deliver it. Linux has no per-datagram IPsec
/// control message, so before each send this sets the socket's outbound policy with a selector narrowed to the
/// datagram's destination (address, port, UDP), then sends; sends are serialised so a datagram always leaves under
/// its own policy. Inbound, a socket has one policy for every datagram (<see cref="SetInboundPolicy"/>), and recvmsg
/// cannot tell which SA protected a datagram. docs/ipsec-backend.md has the limits.
/// </summary>
public sealed class UdpIpsecSender
{
    private readonly Lock _gate = new();
    private readonly AddressFamily _family;
    private (IPEndPoint Remote, IpsecPolicy Policy)? _applied;

    /// <summary>Wraps an unconnected UDP socket (IPv4, or IPv6 with DualMode off). The socket stays the caller's.</summary>
    /// <exception cref="ArgumentException">Another kind of socket, or a dual-stack one.</exception>
    public UdpIpsecSender(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.SocketType != SocketType.Dgram || socket.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"UdpIpsecSender needs an IPv4 or IPv6 datagram socket, not {socket.AddressFamily} {socket.SocketType}.", nameof(socket));
        }

        if (socket.AddressFamily == AddressFamily.InterNetworkV6 && socket.DualMode)
        {
            throw new ArgumentException("UdpIpsecSender needs DualMode = false: a socket policy matches one address family only.", nameof(socket));
        }

        Socket = socket;
        _family = socket.AddressFamily;
    }

    /// <summary>The wrapped socket.</summary>
    public Socket Socket { get; }

    /// <summary>The policy every received datagram had to satisfy (<c>ipsec_get_msg_policy</c> on a received message), or null when none is set.</summary>
    public IpsecPolicy? InboundPolicy { get; private set; }

    /// <summary>
    /// Requires <paramref name="policy"/> of every datagram the socket receives (a socket has a single inbound policy,
    /// whatever the sender). Datagrams that do not satisfy it are dropped by the kernel.
    /// </summary>
    public void SetInboundPolicy(IpsecPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        lock (_gate)
        {
            var xfrm = IpsecPolicyTranslator.ToXfrmPolicy(policy, XfrmPolicyDirection.In, XfrmSelector.Any(_family), null);
            SocketPolicyOption.Set(Socket, XfrmPolicyCodec.EncodeSocketPolicy(xfrm), "Setting the socket's inbound IPsec policy");
            InboundPolicy = policy;
        }
    }

    /// <summary>Sends one datagram to <paramref name="remote"/> under <paramref name="policy"/> (<c>ipsec_set_msg_policy</c> + sendmsg).</summary>
    /// <returns>The octets sent.</returns>
    /// <exception cref="IpsecException">TryAgain when no SA exists yet (the datagram was not sent; key management was
    /// asked); BlockedByPolicy when a block policy matched; PermissionDenied without CAP_NET_ADMIN.</exception>
    /// <exception cref="ArgumentException"><paramref name="remote"/> is of the other address family, or <paramref name="policy"/>
    /// cannot be expressed for it (see <see cref="SocketIpsecExtensions.SetIpsecPolicy"/>).</exception>
    public int SendTo(ReadOnlySpan<byte> datagram, IPEndPoint remote, IpsecPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(policy);
        var address = SocketPolicyOption.Normalize(remote.Address);
        if (address.AddressFamily != _family)
        {
            throw new ArgumentException($"This {_family} socket cannot send to {remote}.", nameof(remote));
        }

        Span<byte> socketAddress = stackalloc byte[28];
        var length = WriteSocketAddress(socketAddress, address, remote.Port);
        lock (_gate)
        {
            Apply(new IPEndPoint(address, remote.Port), policy);
            return Send(datagram, socketAddress[..length], remote);
        }
    }

    /// <summary>
    /// Sends one datagram under a policy; see <see cref="SendTo"/>. It runs synchronously: a UDP send only waits when the
    /// socket buffer is full (the runtime's own async send cannot be used: it waits forever on the kernel's EAGAIN).
    /// </summary>
    public ValueTask<int> SendToAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remote, IpsecPolicy policy, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(SendTo(datagram.Span, remote, policy));
    }

    private void Apply(IPEndPoint remote, IpsecPolicy policy)
    {
        if (_applied is { } applied && applied.Remote.Equals(remote) && applied.Policy.Equals(policy))
        {
            return;
        }

        var full = (byte)(_family == AddressFamily.InterNetwork ? 32 : 128);
        var selector = XfrmSelector.Any(_family) with
        {
            Destination = remote.Address,
            DestinationPrefixLength = full,
            DestinationPort = (ushort)remote.Port,
            DestinationPortMask = remote.Port == 0 ? (ushort)0 : ushort.MaxValue,
            Protocol = ProtocolType.Udp,
        };
        var xfrm = IpsecPolicyTranslator.ToXfrmPolicy(policy, XfrmPolicyDirection.Out, selector, remote.Address);
        _applied = null;
        SocketPolicyOption.Set(Socket, XfrmPolicyCodec.EncodeSocketPolicy(xfrm), $"Setting the outbound IPsec policy for datagrams to {remote}");
        _applied = (remote, policy);
    }

    private unsafe int Send(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> socketAddress, IPEndPoint remote)
    {
        while (true)
        {
            nint sent;
            fixed (byte* data = datagram)
            fixed (byte* address = socketAddress)
            {
                sent = Libc.SendTo(Socket.SafeHandle, data, (nuint)datagram.Length, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL, address, (uint)socketAddress.Length);
            }

            if (sent >= 0)
            {
                return (int)sent;
            }

            var errno = Marshal.GetLastPInvokeError();
            switch (errno)
            {
                case LinuxErrno.EINTR:
                    continue;
                case LinuxErrno.EAGAIN when WaitWritable(0):
                    // Writable yet EAGAIN: the kernel refused for want of an SA, not for a full buffer.
                    throw new IpsecException(IpsecError.TryAgain,
                        $"No IPsec SA yet for datagrams to {remote} (EAGAIN): the datagram was not sent; the kernel has asked key management for an SA (ACQUIRE).");
                case LinuxErrno.EAGAIN:
                    WaitWritable(Socket.SendTimeout > 0 ? Socket.SendTimeout : -1);
                    continue;
                case LinuxErrno.EPERM:
                    throw new IpsecException(IpsecError.BlockedByPolicy, $"Sending to {remote} was refused by a blocking IPsec policy (EPERM).");
                default:
                    throw new SocketException(errno);
            }
        }
    }

    private unsafe bool WaitWritable(int timeoutMilliseconds)
    {
        var added = false;
        try
        {
            Socket.SafeHandle.DangerousAddRef(ref added);
            var poll = new Libc.PollFd { Fd = (int)Socket.SafeHandle.DangerousGetHandle(), Events = Libc.POLLOUT };
            return Libc.Poll(&poll, 1, timeoutMilliseconds) > 0 && (poll.Revents & Libc.POLLOUT) != 0;
        }
        finally
        {
            if (added)
            {
                Socket.SafeHandle.DangerousRelease();
            }
        }
    }

    /// <summary>struct sockaddr_in / sockaddr_in6 (family in host order, port in network order).</summary>
    private static int WriteSocketAddress(Span<byte> s, IPAddress address, int port)
    {
        s.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(s[2..], (ushort)port);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(s, 2);
            address.TryWriteBytes(s[4..], out _);
            return 16;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(s, 10);
        address.TryWriteBytes(s[8..], out _);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)address.ScopeId);
        return 28;
    }
}
