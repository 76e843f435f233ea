using Microsoft.Extensions.Logging;

namespace CbbToolkit.Yarp.Diagnostics;

/// <summary>The proxy's log events (ids 1100-1199). Header values are never logged: they may be credentials.</summary>
internal static partial class YarpLog
{
    [LoggerMessage(EventId = 1100, EventName = "ClientIdentityHeaderRemoved", Level = LogLevel.Debug,
        Message = "Removed the identity header {Header} the client sent on route {RouteId}.")]
    public static partial void ClientIdentityHeaderRemoved(ILogger logger, string header, string routeId);

    [LoggerMessage(EventId = 1101, EventName = "ClusterChannelConfigured", Level = LogLevel.Information,
        Message = "Cluster {ClusterId}: outbound channel requirement {Requirement}, binding {Bind}, pins {HasPins}.")]
    public static partial void ClusterChannelConfigured(ILogger logger, string clusterId, CbbToolkit.Http.IpsecChannelRequirement requirement, bool bind, bool hasPins);

    [LoggerMessage(EventId = 1102, EventName = "ClusterClientReused", Level = LogLevel.Debug,
        Message = "Cluster {ClusterId}: configuration reloaded without a change to its client; connections kept.")]
    public static partial void ClusterClientReused(ILogger logger, string clusterId);
}
