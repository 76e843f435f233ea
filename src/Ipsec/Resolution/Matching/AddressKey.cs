using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CbbToolkit.Ipsec.Resolution.Matching;

/// <summary>
/// An address as a number, so matching needs no IPAddress allocation: IPv4 in the low 32 bits (width 32), IPv6 as
/// 128 bits. The width is part of the identity, so 0.0.0.0 and :: differ.
/// </summary>
internal readonly struct AddressKey : IEquatable<AddressKey>
{
    private AddressKey(UInt128 value, byte width)
    {
        Value = value;
        Width = width;
    }

    /// <summary>The address bits, most significant first.</summary>
    public UInt128 Value { get; }

    /// <summary>32 for IPv4, 128 for IPv6.</summary>
    public byte Width { get; }

    public bool IsAny => Value == UInt128.Zero;

    public AddressFamily Family => Width == 32 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;

    /// <summary>The address as the kernel sees it; IPv4-mapped IPv6 only when <paramref name="unmap"/> (sockets, not SAs).</summary>
    public static AddressKey From(IPAddress address, bool unmap = false)
    {
        if (unmap && address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new IpsecException(IpsecError.InvalidArgument, $"Address {address} cannot be read.");
        }

        return written switch
        {
            4 => new AddressKey(BinaryPrimitives.ReadUInt32BigEndian(bytes), 32),
            16 => new AddressKey(BinaryPrimitives.ReadUInt128BigEndian(bytes), 128),
            _ => throw new IpsecException(IpsecError.InvalidArgument, $"Address {address} is neither IPv4 nor IPv6."),
        };
    }

    /// <summary>True when the first <paramref name="prefixLength"/> bits of both addresses are equal (prefix 0 matches all).</summary>
    public bool SharesPrefix(AddressKey other, int prefixLength)
    {
        if (prefixLength <= 0)
        {
            return true;
        }

        if (prefixLength >= Width)
        {
            return Value == other.Value;
        }

        return ((Value ^ other.Value) >> (Width - prefixLength)) == UInt128.Zero;
    }

    public bool Equals(AddressKey other) => Value == other.Value && Width == other.Width;

    public override bool Equals(object? obj) => obj is AddressKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Value.GetHashCode(), Width);

    public static bool operator ==(AddressKey left, AddressKey right) => left.Equals(right);

    public static bool operator !=(AddressKey left, AddressKey right) => !left.Equals(right);
}
