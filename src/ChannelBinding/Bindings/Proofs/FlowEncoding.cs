using System.Buffers.Binary;
using System.Net;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Channels.Bindings.Proofs;

/// <summary>
/// A connection's 5-tuple in the order both ends agree on (client first), 37 octets: IP protocol (1), client address
/// (16, IPv4 as IPv4-mapped IPv6), client port (2, big-endian), server address (16), server port (2).
/// </summary>
internal static class FlowEncoding
{
    public const int Length = 37;

    public static void Write(IpsecFlow flow, ChannelRole role, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var (client, server) = role == ChannelRole.Client ? (flow.Local, flow.Remote) : (flow.Remote, flow.Local);
        destination[0] = (byte)flow.Protocol;
        WriteEndPoint(client, destination[1..]);
        WriteEndPoint(server, destination[19..]);
    }

    private static void WriteEndPoint(IPEndPoint endPoint, Span<byte> destination)
    {
        var address = endPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? endPoint.Address.MapToIPv6() : endPoint.Address;
        if (!address.TryWriteBytes(destination[..16], out var written) || written != 16)
        {
            throw new ArgumentException($"{endPoint} has no 16-octet form.", nameof(endPoint));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], (ushort)endPoint.Port);
    }
}
