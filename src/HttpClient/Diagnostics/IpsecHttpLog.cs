using Microsoft.Extensions.Logging;

namespace CbbToolkit.Http.Diagnostics;

// Event ids 1400-1499 belong to the HttpClient handler.
internal static partial class IpsecHttpLog
{
    [LoggerMessage(EventId = 1400, Level = LogLevel.Debug, Message = "Connection {Connection} opened")]
    public static partial void ConnectionOpened(ILogger logger, IpsecConnectionInfo connection);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Connection to {Host} refused ({Reason}): {Detail}")]
    public static partial void ConnectionRefused(ILogger logger, string host, IpsecChannelRefusal reason, string detail);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "The latch of {Flow} broke ({Reason}); the connection was closed")]
    public static partial void LatchBroken(ILogger logger, string flow, string reason);
}
