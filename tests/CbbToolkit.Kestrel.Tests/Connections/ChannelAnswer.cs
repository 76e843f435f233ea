namespace CbbToolkit.Kestrel.Tests.Connections;

/// <summary>What the test app's GET / reports from the request's IIpsecChannelFeature.</summary>
public sealed record ChannelAnswer(string? Status, string? Reason, string? Mode, string? ResolutionReason);
