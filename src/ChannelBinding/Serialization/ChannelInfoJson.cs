using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CbbToolkit.Channels.Serialization;

/// <summary>
/// The JSON form of <see cref="ChannelInfo"/> for people and files: one object, keys = <see cref="ChannelAttributeSpec.Name"/>
/// in ascending type order, values as <see cref="ChannelJsonValues"/> writes them. Reading is strict: unknown or repeated
/// keys, null, wrong value kinds and values the attribute rules reject are <see cref="ChannelInfoFormatException"/>.
/// </summary>
internal static class ChannelInfoJson
{
    /// <summary>The longest JSON text accepted, in UTF-8 octets (room for every attribute at its longest, escaped).</summary>
    public const int MaxLength = 1 << 20;

    private static readonly UTF8Encoding s_strictUtf8 = new(false, true);

    // Relaxed escaping keeps IKE identities readable; the output is JSON for files and terminals, never HTML.
    private static readonly JsonWriterOptions s_compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions s_indented = s_compact with { Indented = true };

    public static string Write(ChannelInfo info, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, indented ? s_indented : s_compact))
        {
            writer.WriteStartObject();
            foreach (var a in info.Attributes)
            {
                writer.WritePropertyName(ChannelInfo.SpecOf(a.Key).Name);
                ChannelJsonValues.Write(writer, a.Key, a.Value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static ChannelInfo Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxLength)
        {
            throw new ChannelInfoFormatException(0, $"{json.Length} characters is more than the {MaxLength} accepted");
        }

        byte[] utf8;
        try
        {
            utf8 = s_strictUtf8.GetBytes(json);
        }
        catch (EncoderFallbackException e)
        {
            throw new ChannelInfoFormatException(0, $"the text has a lone surrogate at character {e.Index}", e);
        }

        if (utf8.Length > MaxLength)
        {
            throw new ChannelInfoFormatException(0, $"{utf8.Length} UTF-8 octets is more than the {MaxLength} accepted");
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 2 });
        try
        {
            return ReadObject(ref reader);
        }
        catch (JsonException e)
        {
            throw new ChannelInfoFormatException(reader.BytesConsumed, "not valid JSON: " + e.Message, e);
        }
        catch (InvalidOperationException e) // a string escape that decodes to invalid UTF-16
        {
            throw new ChannelInfoFormatException(reader.TokenStartIndex, "a string does not decode: " + e.Message, e);
        }
    }

    private static ChannelInfo ReadObject(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ChannelInfoFormatException(reader.TokenStartIndex, "the JSON text is not an object");
        }

        var attributes = new List<KeyValuePair<ChannelAttributeType, byte[]>>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var keyAt = reader.TokenStartIndex;
            var key = reader.GetString()!;
            var spec = ChannelAttributeSpec.All.FirstOrDefault(s => s.Name.Equals(key, StringComparison.Ordinal))
                ?? throw new ChannelInfoFormatException(keyAt, $"unknown key \"{Printable(key)}\" (docs/api.md lists the keys)");
            if (attributes.Exists(a => a.Key == spec.Type))
            {
                throw new ChannelInfoFormatException(keyAt, $"key \"{spec.Name}\" appears twice");
            }

            reader.Read();
            var valueAt = reader.TokenStartIndex;
            if (reader.TokenType == JsonTokenType.Null)
            {
                throw new ChannelInfoFormatException(valueAt, $"\"{spec.Name}\" is null; leave the key out instead");
            }

            var value = ChannelJsonValues.Read(ref reader, spec.Type, out var problem);
            if (value is null)
            {
                throw new ChannelInfoFormatException(valueAt, $"{spec.Name} ({(ushort)spec.Type}) {problem}");
            }

            if (ChannelInfo.CheckValue(spec, value) is { } rule)
            {
                throw new ChannelInfoFormatException(valueAt, rule);
            }

            attributes.Add(new(spec.Type, value));
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new ChannelInfoFormatException(reader.TokenStartIndex, "expected a key or the end of the object");
        }

        if (reader.Read())
        {
            throw new ChannelInfoFormatException(reader.TokenStartIndex, "content after the object");
        }

        attributes.Sort((x, y) => x.Key.CompareTo(y.Key));
        return ChannelInfo.FromCanonicalAttributes([.. attributes]);
    }

    // Keys are echoed in errors to help people; cut them short and keep control characters out of the message.
    private static string Printable(string key)
    {
        var cut = key.Length > 40 ? key[..40] + "..." : key;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }
}
