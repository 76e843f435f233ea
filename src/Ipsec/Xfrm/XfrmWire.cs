using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CbbToolkit.Ipsec.Netlink;
using static CbbToolkit.Ipsec.Xfrm.XfrmLayout;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>Reading and writing the small structures every XFRM message shares: families, addresses, selectors, lifetimes, names.</summary>
internal static class XfrmWire
{
    public const ushort AfUnspec = 0;
    public const ushort AfInet = 2;
    public const ushort AfInet6 = 10;

    public static ushort ToLinuxFamily(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => AfInet,
        AddressFamily.InterNetworkV6 => AfInet6,
        AddressFamily.Unspecified => AfUnspec,
        _ => throw Invalid($"address family {family} is neither IPv4 nor IPv6"),
    };

    public static AddressFamily FromLinuxFamily(ushort family) => family switch
    {
        AfInet => AddressFamily.InterNetwork,
        AfInet6 => AddressFamily.InterNetworkV6,
        AfUnspec => AddressFamily.Unspecified,
        _ => throw NetlinkThrow.BadMessageException($"address family {family}"),
    };

    /// <summary>IPv4 when the family says AF_INET, otherwise the full 16 octets as IPv6. "Any" is shared, not allocated.</summary>
    public static IPAddress ReadAddress(ReadOnlySpan<byte> source, ushort family)
    {
        if (family == AfInet)
        {
            return BinaryPrimitives.ReadUInt32LittleEndian(source) == 0 ? IPAddress.Any : new IPAddress(source[..4]);
        }

        return source[..AddressSize].IndexOfAnyExcept((byte)0) < 0 ? IPAddress.IPv6Any : new IPAddress(source[..AddressSize]);
    }

    public static void WriteAddress(Span<byte> destination, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.TryWriteBytes(destination[..AddressSize], out _))
        {
            throw Invalid($"address {address} does not fit xfrm_address_t");
        }
    }

    public static void CheckFamily(IPAddress address, AddressFamily family, string what)
    {
        ArgumentNullException.ThrowIfNull(address, what);
        if (family != AddressFamily.Unspecified && address.AddressFamily != family)
        {
            throw Invalid($"{what} {address} is not {Describe(family)}");
        }
    }

    public static XfrmSelector ReadSelector(ReadOnlySpan<byte> s)
    {
        var family = BinaryPrimitives.ReadUInt16LittleEndian(s[SelFamily..]);
        return new XfrmSelector
        {
            Family = FromLinuxFamily(family),
            Destination = ReadAddress(s[SelDaddr..], family),
            Source = ReadAddress(s[SelSaddr..], family),
            DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(s[SelDport..]),
            DestinationPortMask = BinaryPrimitives.ReadUInt16BigEndian(s[SelDportMask..]),
            SourcePort = BinaryPrimitives.ReadUInt16BigEndian(s[SelSport..]),
            SourcePortMask = BinaryPrimitives.ReadUInt16BigEndian(s[SelSportMask..]),
            DestinationPrefixLength = s[SelPrefixD],
            SourcePrefixLength = s[SelPrefixS],
            Protocol = (ProtocolType)s[SelProto],
            InterfaceIndex = BinaryPrimitives.ReadInt32LittleEndian(s[SelIfindex..]),
            User = BinaryPrimitives.ReadUInt32LittleEndian(s[SelUser..]),
        };
    }

    public static void WriteSelector(Span<byte> s, XfrmSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var family = ToLinuxFamily(selector.Family);
        var max = selector.Family == AddressFamily.InterNetwork ? 32 : 128;
        if (selector.Family != AddressFamily.Unspecified)
        {
            CheckFamily(selector.Destination, selector.Family, "selector destination");
            CheckFamily(selector.Source, selector.Family, "selector source");
        }

        if (selector.DestinationPrefixLength > max || selector.SourcePrefixLength > max)
        {
            throw Invalid($"selector prefix lengths /{selector.SourcePrefixLength} -> /{selector.DestinationPrefixLength} exceed {max}");
        }

        WriteAddress(s[SelDaddr..], selector.Destination);
        WriteAddress(s[SelSaddr..], selector.Source);
        BinaryPrimitives.WriteUInt16BigEndian(s[SelDport..], selector.DestinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(s[SelDportMask..], selector.DestinationPortMask);
        BinaryPrimitives.WriteUInt16BigEndian(s[SelSport..], selector.SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(s[SelSportMask..], selector.SourcePortMask);
        BinaryPrimitives.WriteUInt16LittleEndian(s[SelFamily..], family);
        s[SelPrefixD] = selector.DestinationPrefixLength;
        s[SelPrefixS] = selector.SourcePrefixLength;
        s[SelProto] = ProtocolByte(selector.Protocol);
        BinaryPrimitives.WriteInt32LittleEndian(s[SelIfindex..], selector.InterfaceIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(s[SelUser..], selector.User);
    }

    /// <summary>The usual "no limit" lifetime is shared rather than allocated per SA or policy.</summary>
    public static XfrmLifetimeConfig ReadLifetime(ReadOnlySpan<byte> s) =>
        s[..32].IndexOfAnyExcept((byte)0xff) < 0 && s[32..64].IndexOfAnyExcept((byte)0) < 0 ? XfrmLifetimeConfig.Infinite : new()
    {
        SoftByteLimit = BinaryPrimitives.ReadUInt64LittleEndian(s),
        HardByteLimit = BinaryPrimitives.ReadUInt64LittleEndian(s[8..]),
        SoftPacketLimit = BinaryPrimitives.ReadUInt64LittleEndian(s[16..]),
        HardPacketLimit = BinaryPrimitives.ReadUInt64LittleEndian(s[24..]),
        SoftAddExpiresSeconds = BinaryPrimitives.ReadUInt64LittleEndian(s[32..]),
        HardAddExpiresSeconds = BinaryPrimitives.ReadUInt64LittleEndian(s[40..]),
        SoftUseExpiresSeconds = BinaryPrimitives.ReadUInt64LittleEndian(s[48..]),
        HardUseExpiresSeconds = BinaryPrimitives.ReadUInt64LittleEndian(s[56..]),
    };

    public static void WriteLifetime(Span<byte> s, XfrmLifetimeConfig lifetime)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        BinaryPrimitives.WriteUInt64LittleEndian(s, lifetime.SoftByteLimit);
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], lifetime.HardByteLimit);
        BinaryPrimitives.WriteUInt64LittleEndian(s[16..], lifetime.SoftPacketLimit);
        BinaryPrimitives.WriteUInt64LittleEndian(s[24..], lifetime.HardPacketLimit);
        BinaryPrimitives.WriteUInt64LittleEndian(s[32..], lifetime.SoftAddExpiresSeconds);
        BinaryPrimitives.WriteUInt64LittleEndian(s[40..], lifetime.HardAddExpiresSeconds);
        BinaryPrimitives.WriteUInt64LittleEndian(s[48..], lifetime.SoftUseExpiresSeconds);
        BinaryPrimitives.WriteUInt64LittleEndian(s[56..], lifetime.HardUseExpiresSeconds);
    }

    public static XfrmLifetimeCurrent ReadCurrent(ReadOnlySpan<byte> s) => s[..32].IndexOfAnyExcept((byte)0) < 0 ? XfrmLifetimeCurrent.Zero : new(
        BinaryPrimitives.ReadUInt64LittleEndian(s),
        BinaryPrimitives.ReadUInt64LittleEndian(s[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(s[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(s[24..]));

    public static void WriteCurrent(Span<byte> s, XfrmLifetimeCurrent current)
    {
        ArgumentNullException.ThrowIfNull(current);
        BinaryPrimitives.WriteUInt64LittleEndian(s, current.Bytes);
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], current.Packets);
        BinaryPrimitives.WriteUInt64LittleEndian(s[16..], current.AddTime);
        BinaryPrimitives.WriteUInt64LittleEndian(s[24..], current.UseTime);
    }

    /// <summary>A NUL-terminated name in a fixed 64-octet field.</summary>
    public static string ReadName(ReadOnlySpan<byte> field)
    {
        field = field[..AlgNameSize];
        var end = field.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? field : field[..end]);
    }

    public static void WriteName(Span<byte> field, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or >= AlgNameSize || !Ascii.IsValid(name) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid($"algorithm name \"{name}\" (it takes 1 to {AlgNameSize - 1} ASCII characters)");
        }

        Encoding.ASCII.GetBytes(name, field);
    }

    public static byte ProtocolByte(ProtocolType protocol) =>
        protocol is >= ProtocolType.Unspecified and <= (ProtocolType)255
            ? (byte)protocol
            : throw Invalid($"protocol {(int)protocol} is not an IP protocol number");

    // What the caller asked for cannot be put into an XFRM message: an argument error, raised before anything is sent.
    public static ArgumentException Invalid(string what) => new("Cannot encode the XFRM message: " + what + ".");

    private static string Describe(AddressFamily family) =>
        family == AddressFamily.InterNetwork ? "IPv4" : family == AddressFamily.InterNetworkV6 ? "IPv6" : family.ToString();
}
