using Microsoft.Extensions.Logging;

namespace CbbToolkit.Kestrel.Forwarding;

/// <summary>Events 3780-3789. Header values are never logged: they name people and may be credentials.</summary>
internal static partial class ForwardedIdentityLog
{
    [LoggerMessage(3780, LogLevel.Warning, "Removed identity header {Header} from a request that did not come from a known proxy over a verified IPsec channel (peer {PeerId}, channel {Status})")]
    public static partial void Stripped(ILogger logger, string header, string? peerId, string status);

    [LoggerMessage(3781, LogLevel.Debug, "Accepted the identity headers forwarded by known proxy {ProxyId}")]
    public static partial void Accepted(ILogger logger, string proxyId);
}
