using Microsoft.Extensions.Logging;

namespace CbbToolkit.Ipsec.Resolution.Caching;

/// <summary>The cache's log messages (event ids 3300-3399).</summary>
internal static partial class CacheLog
{
    [LoggerMessage(3301, LogLevel.Debug, "XFRM cache loaded {States} SAs and {Policies} policies in {Milliseconds} ms")]
    public static partial void Loaded(ILogger logger, int states, int policies, long milliseconds);

    [LoggerMessage(3302, LogLevel.Warning, "XFRM cache re-reads the kernel: {Reason}")]
    public static partial void Resynchronizing(ILogger logger, string reason);

    [LoggerMessage(3303, LogLevel.Error, "XFRM cache cannot read the kernel ({Error}): {Message}; retrying in {Delay}")]
    public static partial void Failed(ILogger logger, IpsecError error, string message, TimeSpan delay);

    [LoggerMessage(3304, LogLevel.Error, "An XFRM cache change handler failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);
}
