using System.Globalization;
using System.Security.Cryptography;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>
/// Key material of an SA. It never shows itself: <see cref="ToString"/> says only its size, serializers see only
/// <see cref="BitLength"/> and <see cref="Length"/>, and equality is constant time. Only the codec reads the octets.
/// </summary>
public sealed class XfrmKey : IEquatable<XfrmKey>
{
    private readonly byte[] _octets;

    /// <summary>Copies a key of <paramref name="key"/>.Length * 8 bits.</summary>
    /// <exception cref="OverflowException">The key is longer than <see cref="int.MaxValue"/> bits.</exception>
    public XfrmKey(ReadOnlySpan<byte> key)
        : this(key, checked(key.Length * 8))
    {
    }

    /// <summary>Copies a key whose length in bits is given (the kernel's alg_key_len); it must need exactly key.Length octets.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bitLength"/> is negative or does not need exactly <paramref name="key"/>.Length octets.</exception>
    public XfrmKey(ReadOnlySpan<byte> key, int bitLength)
    {
        if (bitLength < 0 || (bitLength + 7) / 8 != key.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(bitLength), bitLength, $"A key of {key.Length} octets cannot be {bitLength} bits long.");
        }

        _octets = key.ToArray();
        BitLength = bitLength;
    }

    /// <summary>No key (IPComp, or the null cipher).</summary>
    public static XfrmKey Empty { get; } = new(ReadOnlySpan<byte>.Empty);

    /// <summary>The key length in bits.</summary>
    public int BitLength { get; }

    /// <summary>The key length in octets.</summary>
    public int Length => _octets.Length;

    internal ReadOnlySpan<byte> Span => _octets;

    /// <summary>Parses hexadecimal key material, with or without a leading "0x" (as <c>ip xfrm</c> takes it).</summary>
    /// <exception cref="ArgumentException">Anything but an even number of hex digits (the inner exception says where).</exception>
    public static XfrmKey FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        try
        {
            return new XfrmKey(Convert.FromHexString(digits));
        }
        catch (FormatException e)
        {
            throw new ArgumentException(
                $"Key material must be an even number of hex digits ({digits.Length.ToString(CultureInfo.InvariantCulture)} characters given).", nameof(hex), e);
        }
    }

    /// <summary>Says the size only, never the key.</summary>
    public override string ToString() => $"[{BitLength.ToString(CultureInfo.InvariantCulture)}-bit key redacted]";

    /// <summary>Constant-time comparison of length and octets.</summary>
    public bool Equals(XfrmKey? other) =>
        other is not null && BitLength == other.BitLength && CryptographicOperations.FixedTimeEquals(_octets, other._octets);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as XfrmKey);

    /// <summary>Depends on the length only, so a hash reveals nothing of the key.</summary>
    public override int GetHashCode() => BitLength;
}
