using System.Net;
using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.Channels.DraftApi;

/// <summary>
/// The draft's <c>struct msghdr</c> for the datagram functions (sections 2.1.4 and 2.2.4): where a datagram goes (or
/// came from), its buffer, and the policy attached with <see cref="IpsecApi.ipsec_set_msg_policy"/>. Send it with
/// <see cref="IpsecApi.ipsec_sendmsg"/>, receive into it with <see cref="IpsecApi.ipsec_recvmsg"/> - the stand-ins for
/// sendmsg(2) and recvmsg(2) over a <see cref="Ipsec.Sockets.UdpIpsecSender"/>. Not thread-safe: one message, one user.
/// </summary>
public sealed class IpsecMessage
{
    /// <summary>An empty message; set <see cref="Name"/> and <see cref="Buffer"/> before use.</summary>
    public IpsecMessage()
    {
    }

    /// <summary>A message to send to <paramref name="name"/>, or a buffer to receive into.</summary>
    public IpsecMessage(IPEndPoint? name, Memory<byte> buffer)
    {
        Name = name;
        Buffer = buffer;
    }

    /// <summary>msg_name: the destination to send to; after <see cref="IpsecApi.ipsec_recvmsg"/>, the sender.</summary>
    public IPEndPoint? Name { get; set; }

    /// <summary>msg_iov: the datagram to send, or the space to receive into.</summary>
    public Memory<byte> Buffer { get; set; }

    /// <summary>After <see cref="IpsecApi.ipsec_recvmsg"/>: how many octets of <see cref="Buffer"/> the datagram filled.</summary>
    public int Length { get; internal set; }

    /// <summary>Whether the message holds a datagram <see cref="IpsecApi.ipsec_recvmsg"/> received.</summary>
    public bool IsReceived { get; internal set; }

    /// <summary>
    /// To send: the policy attached by <see cref="IpsecApi.ipsec_set_msg_policy"/>. Received: the socket's inbound
    /// policy, which the kernel enforced on the datagram before delivering it; null when the socket had none.
    /// </summary>
    internal IpsecPolicy? Policy { get; set; }
}
