namespace CbbToolkit.Channels.Tls;

/// <summary>An attribute the policy asked for that the channel information leaves out, and why.</summary>
/// <param name="Type">The attribute left out.</param>
/// <param name="Reason">Why: undefined for this session (for example tls-unique on TLS 1.3) or not available.</param>
public sealed record ChannelInfoOmission(ChannelAttributeType Type, string Reason);
