using System.Buffers.Binary;
using System.Security.Authentication;
using System.Net.Security;
using System.Security.Cryptography;
using System.Text;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels;

/// <summary>
/// Channel information (the draft's opaque <c>ipsec_channel_info</c>): the TLS and IPsec facts about one secure channel,
/// as a set of typed attributes. Immutable; <see cref="With"/> and <see cref="Without"/> return new instances.
/// Equality compares every attribute, binding values in constant time.
/// </summary>
public sealed partial class ChannelInfo : IEquatable<ChannelInfo>
{
    // Sorted by type, at most one value per type; arrays are never exposed writable.
    private readonly KeyValuePair<ChannelAttributeType, byte[]>[] _attributes;

    private ChannelInfo(KeyValuePair<ChannelAttributeType, byte[]>[] attributes) => _attributes = attributes;

    /// <summary>Channel information with no attribute (the draft's <c>ipsec_create_channel_info</c>).</summary>
    public static ChannelInfo Empty { get; } = new([]);

    /// <summary>The attribute types present, in ascending order.</summary>
    public IEnumerable<ChannelAttributeType> AttributeTypes => _attributes.Select(a => a.Key);

    /// <summary>The number of attributes present.</summary>
    public int Count => _attributes.Length;

    /// <summary>Whether the attribute is present.</summary>
    public bool Contains(ChannelAttributeType type) => IndexOf(type) >= 0;

    /// <summary>Reads an attribute's value; false when it is absent.</summary>
    public bool TryGet(ChannelAttributeType type, out ReadOnlyMemory<byte> value)
    {
        var i = IndexOf(type);
        value = i >= 0 ? _attributes[i].Value : default;
        return i >= 0;
    }

    /// <summary>Reads an attribute's value (the draft's <c>ipsec_get_channel_attr</c>).</summary>
    /// <exception cref="IpsecException">NotFound when the attribute is absent.</exception>
    public ReadOnlyMemory<byte> Get(ChannelAttributeType type) =>
        TryGet(type, out var value)
            ? value
            : throw new IpsecException(IpsecError.NotFound, $"The channel information has no {NameOf(type)} attribute.");

    /// <summary>
    /// Returns a copy with the attribute set (the draft's <c>ipsec_set_channel_attr</c>); the value is copied.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// An undefined type (ArgumentOutOfRangeException), a length the type does not allow, or a value it does not define
    /// (docs/api.md lists every rule; the binary and JSON parsers enforce the same ones).
    /// </exception>
    public ChannelInfo With(ChannelAttributeType type, ReadOnlySpan<byte> value)
    {
        var spec = SpecOf(type);
        if (CheckValue(spec, value) is { } problem)
        {
            throw new ArgumentException($"Channel attribute {problem}.", nameof(value));
        }

        var i = IndexOf(type);
        KeyValuePair<ChannelAttributeType, byte[]>[] next;
        if (i >= 0)
        {
            next = (KeyValuePair<ChannelAttributeType, byte[]>[])_attributes.Clone();
            next[i] = new(type, value.ToArray());
        }
        else
        {
            var at = ~i;
            next = new KeyValuePair<ChannelAttributeType, byte[]>[_attributes.Length + 1];
            Array.Copy(_attributes, next, at);
            next[at] = new(type, value.ToArray());
            Array.Copy(_attributes, at, next, at + 1, _attributes.Length - at);
        }

        return new ChannelInfo(next);
    }

    /// <summary>Returns a copy without the attribute (unchanged when it is absent).</summary>
    public ChannelInfo Without(ChannelAttributeType type)
    {
        var i = IndexOf(type);
        return i < 0 ? this : new ChannelInfo(_attributes.Where((_, j) => j != i).ToArray());
    }

    /// <summary>Returns an equal copy that shares no buffer with this one (the draft's <c>ipsec_dup_channel_info</c>).</summary>
    public ChannelInfo Duplicate() =>
        new(Array.ConvertAll(_attributes, a => new KeyValuePair<ChannelAttributeType, byte[]>(a.Key, (byte[])a.Value.Clone())));

    /// <summary>
    /// Compares every attribute. Binding values are compared in constant time (<see cref="ConstantTimeBytes"/>)
    /// and the set of attribute types is compared in full before any value, so the time taken reveals at most which
    /// types are present.
    /// </summary>
    public bool Equals(ChannelInfo? other)
    {
        if (other is null || other._attributes.Length != _attributes.Length)
        {
            return false;
        }

        var equal = true;
        for (var i = 0; i < _attributes.Length; i++)
        {
            equal &= _attributes[i].Key == other._attributes[i].Key;
        }

        if (!equal)
        {
            return false;
        }

        for (var i = 0; i < _attributes.Length; i++)
        {
            equal &= ConstantTimeBytes.AreEqual(_attributes[i].Value, other._attributes[i].Value);
        }

        return equal;
    }

    /// <summary>Compares one binding value of two channels in constant time; false when either lacks it.</summary>
    public static bool BindingEquals(ChannelInfo a, ChannelInfo b, ChannelAttributeType type)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.TryGet(type, out var x) & b.TryGet(type, out var y)
            && ConstantTimeBytes.AreEqual(x.Span, y.Span);
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ChannelInfo);

    /// <summary>A hash of the attribute types only: binding values never feed a hash that could leak them.</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var a in _attributes)
        {
            hash.Add(a.Key);
            hash.Add(a.Value.Length);
        }

        return hash.ToHashCode();
    }

    /// <summary>Names the attributes and their lengths; never prints a value (binding values are secrets to logs).</summary>
    public override string ToString() =>
        $"ChannelInfo {{ {string.Join(", ", _attributes.Select(a => $"{NameOf(a.Key)}[{a.Value.Length}]"))} }}";

    // Typed views of the attributes the converter and the IPsec side fill in.

    /// <summary>The negotiated TLS version, or null.</summary>
    public SslProtocols? TlsVersion => TryGet(ChannelAttributeType.TlsVersion, out var v)
        ? BinaryPrimitives.ReadUInt16BigEndian(v.Span) switch
        {
            0x0303 => SslProtocols.Tls12,
            0x0304 => SslProtocols.Tls13,
            _ => SslProtocols.None,
        }
        : null;

    /// <summary>The negotiated cipher suite, or null.</summary>
    public TlsCipherSuite? CipherSuite => TryGet(ChannelAttributeType.TlsCipherSuite, out var v)
        ? (TlsCipherSuite)BinaryPrimitives.ReadUInt16BigEndian(v.Span)
        : null;

    /// <summary>Which end computed this information, or null.</summary>
    public ChannelRole? Role => TryGet(ChannelAttributeType.Role, out var v) ? (ChannelRole)v.Span[0] : null;

    /// <summary>Whether extended master secret was negotiated, or null when unknown.</summary>
    public bool? UsesExtendedMasterSecret => TryGet(ChannelAttributeType.ExtendedMasterSecret, out var v) ? v.Span[0] == 1 : null;

    /// <summary>When the information was computed, or null.</summary>
    public DateTimeOffset? CreatedAt => TryGet(ChannelAttributeType.CreatedAt, out var v)
        ? DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(v.Span))
        : null;

    /// <summary>The IPsec peer's IKE identity, or null.</summary>
    public string? IpsecPeerId => TryGet(ChannelAttributeType.IpsecPeerId, out var v) ? Encoding.UTF8.GetString(v.Span) : null;

    /// <summary>The value of an attribute as a byte array copy, or null when absent.</summary>
    public byte[]? GetBytes(ChannelAttributeType type) => TryGet(type, out var v) ? v.ToArray() : null;

    private int IndexOf(ChannelAttributeType type)
    {
        int lo = 0, hi = _attributes.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = ((ushort)_attributes[mid].Key).CompareTo((ushort)type); // Enum.CompareTo(object) would box
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    internal static ChannelAttributeSpec SpecOf(ChannelAttributeType type) =>
        ChannelAttributeSpec.TryGet(type, out var spec)
            ? spec
            : throw new ArgumentOutOfRangeException(nameof(type), (ushort)type,
                "Unknown channel attribute type; docs/api.md lists the defined types.");

    private static string NameOf(ChannelAttributeType type) =>
        ChannelAttributeSpec.TryGet(type, out var spec) ? spec.Name : ((ushort)type).ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static string LengthText(ChannelAttributeSpec spec) =>
        spec.MinLength == spec.MaxLength ? $"exactly {spec.MinLength} octets" : $"{spec.MinLength} to {spec.MaxLength} octets";
}
