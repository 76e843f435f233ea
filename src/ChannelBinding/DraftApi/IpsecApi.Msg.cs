using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Sockets;

namespace CbbToolkit.Channels.DraftApi;

// Draft sections 2.1.4 and 2.2.4: the datagram functions, as far as Linux can deliver them. Linux has no per-datagram
// IPsec control message: the outbound policy is the socket's, set before each datagram by UdpIpsecSender (a selector
// narrowed to the destination); the inbound policy is one per socket; recvmsg cannot tell which SA carried a datagram.
// docs/api.md ("Datagrams") spells out the limits.
[SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "The draft's functions return error values; nothing may escape.")]
public static partial class IpsecApi
{
    /// <summary>
    /// <c>ipsec_set_msg_policy</c>: attaches a copy of the policy to a message to send; <see cref="ipsec_sendmsg"/>
    /// then sends the datagram under it (the socket's outbound policy, narrowed to the message's destination, is set
    /// just before the datagram leaves). On a message to receive into, the policy is what the datagram must satisfy -
    /// which Linux can only enforce for the whole socket: it must then equal the socket's inbound policy.
    /// </summary>
    /// <returns>0; EINVAL for a null message, a null or freed handle, or a message that already holds a received datagram.</returns>
    public static int ipsec_set_msg_policy(IpsecMessage? msg, IpsecPolicyHandle? policy)
    {
        if (msg is null || msg.IsReceived || policy?.Current is not { } current)
        {
            return Einval;
        }

        msg.Policy = current;
        return Ok;
    }

    /// <summary>
    /// <c>ipsec_get_msg_policy</c>: a new handle (the caller frees it). For a message to send: the policy attached to it.
    /// For a received message: the socket's inbound policy, which the kernel checked the datagram against before
    /// delivering it (the datagram satisfied it; which SA carried it, Linux does not say).
    /// </summary>
    /// <returns>0; EINVAL for a null message; ENOENT when no policy is attached (received: the socket has no inbound
    /// policy, so the datagram may have come in clear). On failure <paramref name="policy"/> is null.</returns>
    public static int ipsec_get_msg_policy(IpsecMessage? msg, out IpsecPolicyHandle? policy)
    {
        policy = null;
        if (msg is null)
        {
            return Einval;
        }

        if (msg.Policy is not { } current)
        {
            return (int)IpsecError.NotFound;
        }

        try
        {
            policy = new IpsecPolicyHandle(current);
            return Ok;
        }
        catch (Exception e)
        {
            return ErrorOf(e);
        }
    }

    /// <summary>
    /// Not in the draft: the stand-in for sendmsg(2). Sends <see cref="IpsecMessage.Buffer"/> to <see cref="IpsecMessage.Name"/>
    /// under the message's policy (<see cref="UdpIpsecSender.SendTo"/>): the kernel protects it with an SA that policy
    /// requires, or refuses it.
    /// </summary>
    /// <returns>0 and the octets sent; EINVAL for a null sender or message, no destination, or a destination of the
    /// other address family; ENOENT when no policy is attached (the sender keeps its last datagram's policy in the
    /// socket, so "no policy" cannot mean "the system's"); EAGAIN when the policy needs an SA that does not exist yet
    /// (the datagram was not sent; key management was asked); EACCES when a policy blocks it; EPERM without
    /// CAP_NET_ADMIN; other socket errors as their errno.</returns>
    public static int ipsec_sendmsg(UdpIpsecSender? sender, IpsecMessage? msg, out int sent)
    {
        sent = 0;
        if (sender is null || msg is null || msg.IsReceived || msg.Name is null)
        {
            return Einval;
        }

        if (msg.Policy is not { } policy)
        {
            return (int)IpsecError.NotFound;
        }

        try
        {
            sent = sender.SendTo(msg.Buffer.Span, msg.Name, policy);
            return Ok;
        }
        catch (SocketException e)
        {
            return SocketErrorOf(e);
        }
        catch (Exception e)
        {
            return ErrorOf(e);
        }
    }

    /// <summary>
    /// Not in the draft: the stand-in for recvmsg(2). Receives one datagram into <see cref="IpsecMessage.Buffer"/>
    /// (blocking, up to the socket's ReceiveTimeout) and fills <see cref="IpsecMessage.Name"/> with the sender and
    /// <see cref="IpsecMessage.Length"/>; the message then carries the socket's inbound policy, which the kernel
    /// enforced on the datagram (<see cref="ipsec_get_msg_policy"/>).
    /// </summary>
    /// <returns>0 and the octets received (a message that held a datagram is reused); EINVAL for a null sender or message;
    /// EOPNOTSUPP when a policy attached to the message differs from the socket's inbound policy (Linux enforces
    /// inbound policy per socket, not per datagram: use <see cref="UdpIpsecSender.SetInboundPolicy"/>); EAGAIN when
    /// the receive timed out; other socket errors as their errno.</returns>
    public static int ipsec_recvmsg(UdpIpsecSender? sender, IpsecMessage? msg, out int received)
    {
        received = 0;
        if (sender is null || msg is null)
        {
            return Einval;
        }

        var inbound = sender.InboundPolicy;
        if (!msg.IsReceived && msg.Policy is { } wanted && !wanted.Equals(inbound))
        {
            return (int)IpsecError.NotSupported;
        }

        try
        {
            EndPoint from = sender.Socket.AddressFamily == AddressFamily.InterNetworkV6
                ? new IPEndPoint(IPAddress.IPv6Any, 0)
                : new IPEndPoint(IPAddress.Any, 0);
            received = sender.Socket.ReceiveFrom(msg.Buffer.Span, SocketFlags.None, ref from);
            msg.Name = (IPEndPoint)from;
            msg.Length = received;
            msg.Policy = inbound;
            msg.IsReceived = true;
            return Ok;
        }
        catch (SocketException e)
        {
            return SocketErrorOf(e);
        }
        catch (Exception e)
        {
            return ErrorOf(e);
        }
    }

    /// <summary>
    /// <c>ipsec_set_msg_channel_info</c>: not supported on Linux. The kernel picks the SA for each outgoing datagram
    /// from the policy alone; nothing lets a datagram require a particular channel. Use a connected UDP socket and
    /// <see cref="ipsec_set_socket_channel_info(Socket?, ChannelInfoHandle?)"/>.
    /// </summary>
    /// <returns>EINVAL for a null message or a null or freed handle; otherwise EOPNOTSUPP.</returns>
    public static int ipsec_set_msg_channel_info(IpsecMessage? msg, ChannelInfoHandle? ci) =>
        msg is null || ci?.Current is null ? Einval : (int)IpsecError.NotSupported;

    /// <summary>
    /// <c>ipsec_get_msg_channel_info</c>: not supported on Linux. recvmsg reports no SA for a datagram (Linux has no
    /// IPsec control message), so which channel carried it cannot be known, only that it satisfied the socket's
    /// inbound policy (<see cref="ipsec_get_msg_policy"/>). Use a connected UDP socket and
    /// <see cref="ipsec_get_socket_channel_info(Socket?, out ChannelInfoHandle?)"/>, which resolves the SA pair of its 5-tuple.
    /// </summary>
    /// <returns>EINVAL for a null message; otherwise EOPNOTSUPP. <paramref name="ci"/> is always null.</returns>
    public static int ipsec_get_msg_channel_info(IpsecMessage? msg, out ChannelInfoHandle? ci)
    {
        ci = null;
        return msg is null ? Einval : (int)IpsecError.NotSupported;
    }

    // A receive or send timeout is EAGAIN; any other socket error is its errno, mapped as everywhere (IpsecErrors.FromErrno).
    private static int SocketErrorOf(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.TimedOut or SocketError.WouldBlock => (int)IpsecError.TryAgain,
        _ => (int)IpsecErrors.FromErrno(e.NativeErrorCode),
    };
}
