using Microsoft.Extensions.Logging;

namespace CbbToolkit.Ipsec.Vici;

/// <summary>The VICI client's log messages (event ids 3100-3199). Messages carry names and URIs, never message values.</summary>
internal static partial class ViciLog
{
    [LoggerMessage(3100, LogLevel.Debug, "Connected to the IKE daemon at {SocketPath}")]
    public static partial void Connected(ILogger logger, string socketPath);

    [LoggerMessage(3101, LogLevel.Debug, "The connection to the IKE daemon at {SocketPath} is stale (daemon restarted?); reconnecting")]
    public static partial void Stale(ILogger logger, string socketPath);

    [LoggerMessage(3102, LogLevel.Warning, "Event subscription ({Events}) lost the IKE daemon at {SocketPath}: {Reason}; reconnecting")]
    public static partial void SubscriptionLost(ILogger logger, string events, string socketPath, string reason);

    [LoggerMessage(3103, LogLevel.Debug, "Event subscription ({Events}) cannot reach the IKE daemon at {SocketPath} yet ({Reason}); retrying in {Delay}")]
    public static partial void SubscriptionRetry(ILogger logger, string events, string socketPath, string reason, TimeSpan delay);

    [LoggerMessage(3104, LogLevel.Information, "Event subscription ({Events}) reconnected to the IKE daemon at {SocketPath}")]
    public static partial void SubscriptionResumed(ILogger logger, string events, string socketPath);

    [LoggerMessage(3105, LogLevel.Debug, "Dropped the connection to {SocketPath} after an incomplete exchange ({What})")]
    public static partial void Dropped(ILogger logger, string socketPath, string what);
}
