using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Resolution.Matching;

namespace CbbToolkit.Ipsec.Resolution;

/// <summary>
/// A connection's 5-tuple as this host sees it: local and remote address and port, and the transport protocol.
/// IPv4-mapped IPv6 addresses (dual-stack sockets) are taken as the IPv4 addresses the kernel really uses.
/// </summary>
public sealed class IpsecFlow : IEquatable<IpsecFlow>
{
    /// <summary>Creates a flow.</summary>
    /// <exception cref="ArgumentException">Mixed or unsupported address families; ArgumentOutOfRangeException for a protocol outside 0-255.</exception>
    public IpsecFlow(IPEndPoint local, IPEndPoint remote, ProtocolType protocol)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        if ((int)protocol is < 0 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(protocol), (int)protocol, "Not an IP protocol number (0-255).");
        }

        Local = Normalize(local);
        Remote = Normalize(remote);
        if (Local.AddressFamily != Remote.AddressFamily)
        {
            throw new ArgumentException($"Flow {local} -> {remote} mixes IPv4 and IPv6.", nameof(remote));
        }

        Protocol = protocol;
        LocalKey = AddressKey.From(Local.Address);
        RemoteKey = AddressKey.From(Remote.Address);
    }

    /// <summary>This host's address and port.</summary>
    public IPEndPoint Local { get; }

    /// <summary>The peer's address and port.</summary>
    public IPEndPoint Remote { get; }

    /// <summary>TCP, UDP, SCTP, ...</summary>
    public ProtocolType Protocol { get; }

    /// <summary>IPv4 or IPv6.</summary>
    public AddressFamily AddressFamily => Local.AddressFamily;

    internal AddressKey LocalKey { get; }

    internal AddressKey RemoteKey { get; }

    /// <summary>The flow of a connected socket (TCP, or a connected UDP socket).</summary>
    /// <exception cref="IpsecException">NotConnected when the socket has no remote end point.</exception>
    /// <exception cref="ArgumentException">The socket is not an IP socket, or its transport protocol is unknown.</exception>
    public static IpsecFlow FromSocket(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        EndPoint? local, remote;
        try
        {
            local = socket.LocalEndPoint;
            remote = socket.RemoteEndPoint;
        }
        catch (SocketException e)
        {
            throw new IpsecException(IpsecError.NotConnected, $"The socket's end points cannot be read: {e.SocketErrorCode}.", e);
        }
        catch (ObjectDisposedException e)
        {
            throw new IpsecException(IpsecError.NotConnected, "The socket is closed.", e);
        }

        if (remote is null)
        {
            throw new IpsecException(IpsecError.NotConnected, "The socket is not connected: it has no remote end point.");
        }

        if (local is not IPEndPoint l || remote is not IPEndPoint r)
        {
            throw new ArgumentException($"The socket is not an IP socket ({socket.AddressFamily}).", nameof(socket));
        }

        var protocol = socket.ProtocolType is ProtocolType.Unspecified or ProtocolType.IP
            ? socket.SocketType switch
            {
                SocketType.Stream => ProtocolType.Tcp,
                SocketType.Dgram => ProtocolType.Udp,
                _ => throw new ArgumentException($"The transport protocol of a {socket.SocketType} socket is unknown.", nameof(socket)),
            }
            : socket.ProtocolType;
        return new IpsecFlow(l, r, protocol);
    }

    /// <summary>The same connection seen from the other end.</summary>
    public IpsecFlow Reverse() => new(Remote, Local, Protocol);

    /// <inheritdoc/>
    public bool Equals(IpsecFlow? other) =>
        other is not null && Protocol == other.Protocol && LocalKey == other.LocalKey && RemoteKey == other.RemoteKey
        && Local.Port == other.Local.Port && Remote.Port == other.Remote.Port;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as IpsecFlow);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(LocalKey, RemoteKey, Local.Port, Remote.Port, Protocol);

    /// <summary>"tcp 192.0.2.1:443 -> 192.0.2.2:51000" (local first).</summary>
    public override string ToString() => $"{ProtocolName(Protocol)} {Local} -> {Remote}";

    internal static string ProtocolName(ProtocolType protocol) => protocol switch
    {
        ProtocolType.Tcp => "tcp",
        ProtocolType.Udp => "udp",
        ProtocolType.Icmp => "icmp",
        ProtocolType.IcmpV6 => "ipv6-icmp",
        (ProtocolType)132 => "sctp",
        ProtocolType.Unspecified => "any",
        _ => "proto " + ((int)protocol).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static IPEndPoint Normalize(IPEndPoint endPoint)
    {
        var address = endPoint.Address;
        if (address.IsIPv4MappedToIPv6)
        {
            return new IPEndPoint(address.MapToIPv4(), endPoint.Port);
        }

        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"End point {endPoint} is neither IPv4 nor IPv6.", nameof(endPoint));
        }

        return endPoint;
    }
}
