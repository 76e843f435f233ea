namespace CbbToolkit.Kestrel.Verification;

/// <summary>A connection's status when it was checked, with the reason in words (null when verified).</summary>
internal readonly record struct ChannelVerdict(IpsecChannelStatus Status, string? Reason);
