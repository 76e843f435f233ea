using System.Diagnostics.CodeAnalysis;
using CbbToolkit.Channels.Serialization;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels;

// The canonical binary form (docs/api.md, "Canonical binary form"); the codec lives in Serialization/.
public sealed partial class ChannelInfo
{
    /// <summary>The longest canonical encoding any channel information can have, in octets.</summary>
    public static int MaxSerializedLength => ChannelInfoBinaryFormat.MaxLength;

    /// <summary>The length of <see cref="ToBytes"/>, in octets.</summary>
    public int GetSerializedLength() => ChannelInfoBinaryFormat.GetLength(_attributes);

    /// <summary>
    /// The canonical binary form (version 1): equal channel information always gives equal bytes, and
    /// <see cref="Parse"/> gives back equal channel information.
    /// </summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[GetSerializedLength()];
        ChannelInfoBinaryFormat.Write(_attributes, bytes);
        return bytes;
    }

    /// <summary>Writes the canonical binary form into <paramref name="destination"/>; returns the octets written.</summary>
    /// <exception cref="IpsecException">MessageTooLarge (EMSGSIZE) when the destination is shorter than <see cref="GetSerializedLength"/>.</exception>
    public int WriteTo(Span<byte> destination) =>
        TryWriteTo(destination, out var written)
            ? written
            : throw new IpsecException(IpsecError.MessageTooLarge,
                $"The destination holds {destination.Length} octets; the channel information needs {GetSerializedLength()}.");

    /// <summary>Writes the canonical binary form when it fits; false (nothing written) otherwise.</summary>
    public bool TryWriteTo(Span<byte> destination, out int bytesWritten)
    {
        if (destination.Length < GetSerializedLength())
        {
            bytesWritten = 0;
            return false;
        }

        bytesWritten = ChannelInfoBinaryFormat.Write(_attributes, destination);
        return true;
    }

    /// <summary>
    /// Parses the canonical binary form strictly: magic, version, attribute types defined and strictly ascending,
    /// lengths and values as the attribute table allows, nothing after the last attribute.
    /// </summary>
    /// <exception cref="ChannelInfoFormatException">Any malformed input, with the offset and what was wrong; never another exception.</exception>
    public static ChannelInfo Parse(ReadOnlySpan<byte> data) =>
        ChannelInfoBinaryFormat.TryRead(data, out var info, out var failure) ? info : throw failure.ToException();

    /// <summary>Parses like <see cref="Parse"/> but returns false instead of throwing.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, [NotNullWhen(true)] out ChannelInfo? info) =>
        ChannelInfoBinaryFormat.TryRead(data, out info, out _);

    /// <summary>The attributes, sorted by type, for the codecs (never handed out: the arrays are ours).</summary>
    internal ReadOnlySpan<KeyValuePair<ChannelAttributeType, byte[]>> Attributes => _attributes;

    /// <summary>Wraps attributes a codec has already checked: sorted, unique, valid, arrays not shared.</summary>
    internal static ChannelInfo FromCanonicalAttributes(KeyValuePair<ChannelAttributeType, byte[]>[] attributes) =>
        attributes.Length == 0 ? Empty : new(attributes);
}
