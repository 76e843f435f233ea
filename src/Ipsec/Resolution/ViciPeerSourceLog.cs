using Microsoft.Extensions.Logging;

namespace CbbToolkit.Ipsec.Resolution;

/// <summary>The VICI peer source's log messages.</summary>
internal static partial class ViciPeerSourceLog
{
    [LoggerMessage(3310, LogLevel.Warning, "Peer source cannot follow charon's events at {SocketPath} ({Reason}); peers are not cached, retrying in {Delay}")]
    public static partial void SubscriptionFailed(ILogger logger, string socketPath, string reason, TimeSpan delay);
}
