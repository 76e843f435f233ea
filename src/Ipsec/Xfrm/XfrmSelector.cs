using System.Net;
using System.Net.Sockets;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>
/// The traffic a policy or SA applies to (struct xfrm_selector). A prefix length of 0, a port mask of 0 and
/// <see cref="ProtocolType.Unspecified"/> each match anything.
/// </summary>
public sealed record XfrmSelector
{
    /// <summary>InterNetwork, InterNetworkV6, or Unspecified (an SA selector the kernel leaves open).</summary>
    public AddressFamily Family { get; init; } = AddressFamily.InterNetwork;
    /// <summary>Destination address (the packet's).</summary>
    public IPAddress Destination { get; init; } = IPAddress.Any;
    /// <summary>Destination prefix length.</summary>
    public byte DestinationPrefixLength { get; init; }
    /// <summary>Source address (the packet's).</summary>
    public IPAddress Source { get; init; } = IPAddress.Any;
    /// <summary>Source prefix length.</summary>
    public byte SourcePrefixLength { get; init; }
    /// <summary>Destination port (or ICMP code).</summary>
    public ushort DestinationPort { get; init; }
    /// <summary>Destination port mask; 0xffff for one port, 0 for any.</summary>
    public ushort DestinationPortMask { get; init; }
    /// <summary>Source port (or ICMP type).</summary>
    public ushort SourcePort { get; init; }
    /// <summary>Source port mask.</summary>
    public ushort SourcePortMask { get; init; }
    /// <summary>Upper-layer protocol; Unspecified (0) for any.</summary>
    public ProtocolType Protocol { get; init; } = ProtocolType.Unspecified;
    /// <summary>Interface index; 0 for any.</summary>
    public int InterfaceIndex { get; init; }
    /// <summary>The owning user id field (unused by the kernel's matching).</summary>
    public uint User { get; init; }

    /// <summary>An all-zero selector (family unspecified), as <c>ip xfrm state add</c> sends when no selector is given.</summary>
    public static XfrmSelector Unspecified { get; } = new() { Family = AddressFamily.Unspecified, Destination = IPAddress.IPv6Any, Source = IPAddress.IPv6Any };

    /// <summary>Matches all traffic of a family.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="family"/> is neither IPv4 nor IPv6.</exception>
    public static XfrmSelector Any(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => new XfrmSelector(),
        AddressFamily.InterNetworkV6 => new XfrmSelector { Family = family, Destination = IPAddress.IPv6Any, Source = IPAddress.IPv6Any },
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, $"An XFRM selector is IPv4 or IPv6, not {family}."),
    };

    /// <summary>Matches traffic between two hosts, optionally one protocol and ports (0 = any port).</summary>
    /// <exception cref="ArgumentException">The addresses are of different families.</exception>
    public static XfrmSelector Between(IPAddress source, IPAddress destination, ProtocolType protocol = ProtocolType.Unspecified,
        ushort sourcePort = 0, ushort destinationPort = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.AddressFamily != destination.AddressFamily)
        {
            throw new ArgumentException($"Selector addresses {source} and {destination} are of different families.", nameof(destination));
        }

        var full = (byte)(source.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        return Any(source.AddressFamily) with
        {
            Source = source,
            SourcePrefixLength = full,
            Destination = destination,
            DestinationPrefixLength = full,
            Protocol = protocol,
            SourcePort = sourcePort,
            SourcePortMask = sourcePort == 0 ? (ushort)0 : ushort.MaxValue,
            DestinationPort = destinationPort,
            DestinationPortMask = destinationPort == 0 ? (ushort)0 : ushort.MaxValue,
        };
    }
}
