using System.Net.Sockets;
using System.Runtime.InteropServices;
using CbbToolkit.Ipsec.Interop;

namespace CbbToolkit.Ipsec.Netlink;

/// <summary>
/// An AF_NETLINK socket. System.Net.Sockets cannot create one (SocketException 97), so the descriptor comes from
/// socket(2) and is wrapped in a <see cref="SafeSocketHandle"/>; Send and Receive then work as usual. No bind is needed:
/// the kernel assigns the port id on the first send, and an unbound socket sends to the kernel.
/// </summary>
internal sealed class NetlinkSocket : IDisposable
{
    /// <summary>A netlink dump never puts more than 32 KiB into one datagram; twice that leaves room.</summary>
    public const int ReceiveBufferLength = 64 * 1024;

    private const int SolNetlink = 270;
    private const int NetlinkAddMembership = 1;
    private const int NetlinkCapAck = 10;
    private const int NetlinkExtAck = 11;

    private readonly Socket _socket;
    private bool _bound;

    private NetlinkSocket(Socket socket) => _socket = socket;

    /// <summary>Opens a socket of the netlink family <paramref name="protocol"/> with extended, capped ACKs.</summary>
    public static NetlinkSocket Open(int protocol, string familyName)
    {
        var fd = Libc.Socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno == LinuxErrno.EPROTONOSUPPORT
                ? new IpsecException(IpsecError.ProtocolOptionUnavailable, $"This kernel has no {familyName} netlink family (errno {errno}).")
                : new IpsecException(LinuxErrno.ToIpsecError(errno), $"socket(AF_NETLINK, {familyName}) failed with errno {errno}.");
        }

        var handle = new SafeSocketHandle(fd, ownsHandle: true);
        Socket socket;
        try
        {
            socket = new Socket(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        var result = new NetlinkSocket(socket);
        try
        {
            // Both are best effort: old kernels lack them, and the errors are still typed without them.
            result.TrySetOption(NetlinkExtAck, 1);
            result.TrySetOption(NetlinkCapAck, 1);
        }
        catch
        {
            result.Dispose();
            throw;
        }

        return result;
    }

    /// <summary>
    /// Joins a multicast group by number (NETLINK_ADD_MEMBERSHIP), not by bitmask. Binds first: the kernel skips
    /// sockets whose port id is still 0 when it broadcasts, and only a bind (or a first send) assigns one.
    /// </summary>
    public unsafe void JoinGroup(int group)
    {
        if (!_bound)
        {
            Span<byte> address = stackalloc byte[12]; // struct sockaddr_nl: family, pad, pid 0 (kernel picks), groups 0
            address.Clear();
            address[0] = Libc.AF_NETLINK;
            fixed (byte* a = address)
            {
                if (Libc.Bind(_socket.SafeHandle, a, (uint)address.Length) != 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    throw new IpsecException(LinuxErrno.ToIpsecError(errno), $"Netlink bind failed: {LinuxErrno.Name(errno)}.");
                }
            }

            _bound = true;
        }

        SetOption(NetlinkAddMembership, group, $"join multicast group {group}");
    }

    public void SetReceiveBufferSize(int bytes) => _socket.ReceiveBufferSize = bytes;

    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        try
        {
            var sent = await _socket.SendAsync(datagram, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (sent != datagram.Length)
            {
                throw new IpsecException(IpsecError.MessageTooLarge, $"The kernel took {sent} of {datagram.Length} octets of a netlink request.");
            }
        }
        catch (SocketException e)
        {
            throw SocketError("send", e);
        }
    }

    /// <summary>Receives one datagram; a datagram larger than the buffer is an error, never silently cut.</summary>
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int received;
        try
        {
            // MSG_TRUNC makes recv return the datagram's real length, so truncation is detected.
            received = await _socket.ReceiveAsync(buffer, SocketFlags.Truncated, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw SocketError("receive", e);
        }

        if (received > buffer.Length)
        {
            throw new IpsecException(IpsecError.MessageTooLarge,
                $"A netlink datagram of {received} octets did not fit the {buffer.Length}-octet receive buffer.");
        }

        return received;
    }

    public void Dispose() => _socket.Dispose();

    private void TrySetOption(int name, int value)
    {
        try
        {
            _socket.SetRawSocketOption(SolNetlink, name, BitConverter.GetBytes(value));
        }
        catch (SocketException)
        {
        }
    }

    private void SetOption(int name, int value, string what)
    {
        try
        {
            _socket.SetRawSocketOption(SolNetlink, name, BitConverter.GetBytes(value));
        }
        catch (SocketException e)
        {
            throw SocketError(what, e);
        }
    }

    private static IpsecException SocketError(string operation, SocketException e) =>
        e.SocketErrorCode == System.Net.Sockets.SocketError.NoBufferSpaceAvailable
            ? new IpsecException(IpsecError.NoBufferSpace,
                $"Netlink {operation}: the kernel dropped messages because the socket's receive buffer overflowed (ENOBUFS); " +
                "anything built from earlier messages must be re-read.", e)
            : new IpsecException(LinuxErrno.ToIpsecError(e.NativeErrorCode),
                $"Netlink {operation} failed: {e.Message} (errno {e.NativeErrorCode}).", e);
}
