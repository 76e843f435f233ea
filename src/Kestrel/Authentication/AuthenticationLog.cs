using Microsoft.Extensions.Logging;

namespace CbbToolkit.Kestrel.Authentication;

/// <summary>The IPsec scheme's log messages (event ids 3750-3759): peer ids and reasons, never keys.</summary>
internal static partial class AuthenticationLog
{
    [LoggerMessage(3750, LogLevel.Debug, "No IPsec channel feature on this request (no UseIpsecChannel on the endpoint): scheme {Scheme} not applicable")]
    public static partial void NoChannel(ILogger logger, string scheme);

    [LoggerMessage(3751, LogLevel.Debug, "IPsec channel not verified ({Status}): scheme {Scheme} authenticates nobody. {Reason}")]
    public static partial void NotVerified(ILogger logger, string scheme, IpsecChannelStatus status, string? reason);

    [LoggerMessage(3752, LogLevel.Information, "IPsec peer {PeerId} refused: IKE authenticated it by {Method}, which scheme {Scheme} does not allow")]
    public static partial void MethodNotAllowed(ILogger logger, string peerId, string method, string scheme);

    [LoggerMessage(3753, LogLevel.Debug, "Authenticated IPsec peer {PeerId} ({Method}) with scheme {Scheme}")]
    public static partial void Authenticated(ILogger logger, string peerId, string method, string scheme);

    [LoggerMessage(3754, LogLevel.Information, "IPsec peer {PeerId} refused by OnChannelValidated: {Failure}")]
    public static partial void RefusedByEvent(ILogger logger, string peerId, string failure);
}
