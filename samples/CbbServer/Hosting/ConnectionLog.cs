using CbbToolkit.Kestrel;
using Microsoft.AspNetCore.Connections;

namespace CbbServer.Hosting;

/// <summary>
/// One log line when a connection opens (with its channel's status) and one when it closes (with the latch state then),
/// so that an operator - and the end-to-end tests - see which connection a lost channel took down.
/// </summary>
public static partial class ConnectionLog
{
    /// <summary>The connection middleware for one endpoint (runs after <c>UseIpsecChannel</c>).</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(IServiceProvider services, string endpoint)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("CbbServer.Connections");
        return next => async connection =>
        {
            var channel = connection.Features.Get<IIpsecChannelFeature>();
            var remote = connection.RemoteEndPoint?.ToString() ?? "?";
            Opened(logger, endpoint, connection.ConnectionId, remote, channel?.Status.ToString() ?? "none");
            try
            {
                await next(connection);
            }
            finally
            {
                Closed(logger, endpoint, connection.ConnectionId, remote, channel?.LatchState?.ToString() ?? "none",
                    channel?.ChannelLost.IsCancellationRequested == true);
            }
        };
    }

    [LoggerMessage(1, LogLevel.Information, "connection {Endpoint} {ConnectionId} from {Remote} opened: channel {Status}")]
    private static partial void Opened(ILogger logger, string endpoint, string connectionId, string remote, string status);

    [LoggerMessage(2, LogLevel.Information, "connection {Endpoint} {ConnectionId} from {Remote} closed: latch {Latch}, channel lost {Lost}")]
    private static partial void Closed(ILogger logger, string endpoint, string connectionId, string remote, string latch, bool lost);
}
