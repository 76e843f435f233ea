using Microsoft.Extensions.Logging;

namespace CbbToolkit.Kestrel.Binding;

/// <summary>The binding exchange's HTTP server end (event ids 3760-3779): binding ids, reasons and peers, never a secret or proof.</summary>
internal static partial class BindingServerLog
{
    [LoggerMessage(3760, LogLevel.Warning, "CBB-Bind refused on connection {ConnectionId}: {Reason}. {Detail}")]
    public static partial void BindRefused(ILogger logger, string connectionId, string reason, string detail);

    [LoggerMessage(3761, LogLevel.Information, "Channel binding {BindingId} recorded for {Principal} on connection {ConnectionId}")]
    public static partial void BindRecorded(ILogger logger, string bindingId, string principal, string connectionId);

    [LoggerMessage(3762, LogLevel.Information, "CBB-Bind ignored on connection {ConnectionId}: the request is not authenticated, so there is no principal to bind")]
    public static partial void BindUnauthenticated(ILogger logger, string connectionId);

    [LoggerMessage(3763, LogLevel.Error, "Channel binding on connection {ConnectionId} could not be stored; the request is served without it")]
    public static partial void BindStoreFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(3764, LogLevel.Warning, "CBB-Resume refused on connection {ConnectionId}: {Reason}. {Detail}")]
    public static partial void ResumeRefused(ILogger logger, string connectionId, string reason, string detail);

    [LoggerMessage(3765, LogLevel.Information, "Connection {ConnectionId} authenticated by channel binding {BindingId} as {Principal}")]
    public static partial void Resumed(ILogger logger, string connectionId, string bindingId, string principal);

    [LoggerMessage(3766, LogLevel.Debug, "Challenge issued on connection {ConnectionId}")]
    public static partial void ChallengeIssued(ILogger logger, string connectionId);

    [LoggerMessage(3767, LogLevel.Warning, "Bound connection {ConnectionId} (binding {BindingId}) no longer has a verified IPsec channel ({Status}); not authenticated")]
    public static partial void BoundChannelLost(ILogger logger, string connectionId, string bindingId, string status);
}
