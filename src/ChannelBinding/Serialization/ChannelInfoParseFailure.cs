namespace CbbToolkit.Channels.Serialization;

/// <summary>Where and why a parse failed; kept as a value so TryParse never throws.</summary>
internal readonly record struct ChannelInfoParseFailure(long Offset, string Problem)
{
    public ChannelInfoFormatException ToException() => new(Offset, Problem);
}
