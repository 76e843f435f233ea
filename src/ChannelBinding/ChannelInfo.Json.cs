using CbbToolkit.Channels.Serialization;

namespace CbbToolkit.Channels;

// The JSON form for people (docs/api.md, "JSON form"); the codec lives in Serialization/.
public sealed partial class ChannelInfo
{
    /// <summary>
    /// The JSON form: one object whose keys are the attribute names (<see cref="ChannelAttributeSpec.Name"/>), binding
    /// values in lower-case hex, certificates in base64, typed values readable ("1.3", IANA cipher suite names,
    /// "client", ISO 8601 times). Unlike <see cref="ToString"/> it carries every value, binding values included:
    /// store or send it like the binary form, never log it.
    /// </summary>
    /// <param name="indented">Whether to indent the object for reading.</param>
    public string ToJson(bool indented = false) => ChannelInfoJson.Write(this, indented);

    /// <summary>Reads the JSON form strictly (unknown or repeated keys, null, bad hex or base64, rejected values).</summary>
    /// <exception cref="ChannelInfoFormatException">The text is not the JSON form of valid channel information.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    public static ChannelInfo FromJson(string json) => ChannelInfoJson.Read(json);
}
