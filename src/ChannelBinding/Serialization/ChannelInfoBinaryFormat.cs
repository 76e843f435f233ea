using System.Diagnostics.CodeAnalysis;

namespace CbbToolkit.Channels.Serialization;

/// <summary>
/// The canonical binary form of <see cref="ChannelInfo"/>, version 1 (docs/api.md, "Canonical binary form"):
/// <c>"CBCI" | version u8 | count u16 | count x (type u16 | length u32 | value)</c>, big-endian, types strictly
/// ascending. Every channel has exactly one encoding and the parser accepts nothing else, so parse-then-serialize
/// returns the input byte for byte.
/// </summary>
internal static class ChannelInfoBinaryFormat
{
    public const byte Version = 1;
    public const int HeaderLength = 4 + 1 + 2;
    public const int AttributeHeaderLength = 2 + 4;

    /// <summary>"CBCI": channel-bound BTNS channel information.</summary>
    public static ReadOnlySpan<byte> Magic => "CBCI"u8;

    /// <summary>The longest encoding: every defined type once, each at its longest.</summary>
    public static int MaxLength { get; } =
        HeaderLength + ChannelAttributeSpec.All.Sum(s => AttributeHeaderLength + s.MaxLength);

    public static int GetLength(ReadOnlySpan<KeyValuePair<ChannelAttributeType, byte[]>> attributes)
    {
        var length = HeaderLength;
        foreach (var a in attributes)
        {
            length += AttributeHeaderLength + a.Value.Length;
        }

        return length;
    }

    /// <summary>Writes the encoding; the destination must hold <see cref="GetLength"/> bytes.</summary>
    public static int Write(ReadOnlySpan<KeyValuePair<ChannelAttributeType, byte[]>> attributes, Span<byte> destination)
    {
        var writer = new ChannelInfoWriter(destination);
        writer.WriteBytes(Magic);
        writer.WriteByte(Version);
        writer.WriteUInt16((ushort)attributes.Length);
        foreach (var a in attributes)
        {
            writer.WriteUInt16((ushort)a.Key);
            var length = writer.BeginLength32();
            writer.WriteBytes(a.Value);
            writer.EndLength32(length);
        }

        return writer.Offset;
    }

    /// <summary>Parses untrusted input; never throws.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, [NotNullWhen(true)] out ChannelInfo? info, out ChannelInfoParseFailure failure)
    {
        info = null;
        if (data.Length > MaxLength)
        {
            return Fail(out failure, 0, $"{data.Length} octets is more than the {MaxLength} a version {Version} encoding can have");
        }

        var reader = new ChannelInfoReader(data);
        if (!reader.TryReadBytes(4, out var magic))
        {
            return Fail(out failure, 0, "truncated: the magic \"CBCI\" takes 4 octets");
        }

        if (!magic.SequenceEqual(Magic))
        {
            return Fail(out failure, 0, "the magic is not \"CBCI\": this is not serialized channel information");
        }

        if (!reader.TryReadByte(out var version))
        {
            return Fail(out failure, reader.Offset, "truncated before the version octet");
        }

        if (version != Version)
        {
            return Fail(out failure, 4, $"version {version} is not supported; this reader knows version {Version}");
        }

        if (!reader.TryReadUInt16(out var count))
        {
            return Fail(out failure, reader.Offset, "truncated in the attribute count");
        }

        if (count > ChannelAttributeSpec.All.Count)
        {
            return Fail(out failure, 5, $"{count} attributes announced, but only {ChannelAttributeSpec.All.Count} types are defined");
        }

        var attributes = new KeyValuePair<ChannelAttributeType, byte[]>[count];
        var previous = -1;
        for (var i = 0; i < count; i++)
        {
            var at = reader.Offset;
            if (!reader.TryReadUInt16(out var rawType) || !reader.TryReadUInt32(out var length))
            {
                return Fail(out failure, at, $"truncated in the header of attribute {i + 1} of {count}");
            }

            if (!ChannelAttributeSpec.TryGet((ChannelAttributeType)rawType, out var spec))
            {
                return Fail(out failure, at, $"attribute type {rawType} is not defined (docs/api.md lists the types)");
            }

            if (rawType <= previous)
            {
                return Fail(out failure, at, rawType == previous
                    ? $"attribute {spec.Name} ({rawType}) appears twice"
                    : $"attribute types must be strictly ascending, got {rawType} after {previous}");
            }

            if (length > int.MaxValue || !spec.AllowsLength((int)length))
            {
                return Fail(out failure, at + 2, $"{spec.Name} ({rawType}) takes {ChannelInfo.LengthText(spec)}, got {length}");
            }

            if (!reader.TryReadBytes(length, out var value))
            {
                return Fail(out failure, at + AttributeHeaderLength,
                    $"truncated in the value of {spec.Name}: {length} octets announced, {reader.Remaining} left");
            }

            if (ChannelInfo.CheckValue(spec, value) is { } problem)
            {
                return Fail(out failure, at + AttributeHeaderLength, problem);
            }

            attributes[i] = new(spec.Type, value.ToArray());
            previous = rawType;
        }

        if (reader.Remaining != 0)
        {
            return Fail(out failure, reader.Offset, $"{reader.Remaining} octets after the last attribute");
        }

        info = ChannelInfo.FromCanonicalAttributes(attributes);
        failure = default;
        return true;
    }

    private static bool Fail(out ChannelInfoParseFailure failure, long offset, string problem)
    {
        failure = new(offset, problem);
        return false;
    }
}
