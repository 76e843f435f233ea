using Microsoft.Extensions.Logging;

namespace CbbToolkit.Channels.Bindings;

/// <summary>The binding exchange's log messages (event ids 3600-3699). Never a secret, proof or exporter value.</summary>
internal static partial class BindingLog
{
    [LoggerMessage(3601, LogLevel.Warning, "Channel binding refused ({Role}, {Stage}): {Reason}. {Detail} Falling back to TLS and the normal credentials.")]
    public static partial void Refused(ILogger logger, ChannelRole role, BindingStage stage, string reason, string detail);

    [LoggerMessage(3602, LogLevel.Information, "Channel binding {BindingId} created ({Role}): client {ClientIdentity}, server {ServerIdentity}, expires {ExpiresAt:O}")]
    public static partial void Created(ILogger logger, BindingId bindingId, ChannelRole role, IpsecIdentity clientIdentity, IpsecIdentity serverIdentity, DateTimeOffset expiresAt);

    [LoggerMessage(3603, LogLevel.Information, "Connection authenticated by channel binding {BindingId} ({Role})")]
    public static partial void Resumed(ILogger logger, BindingId bindingId, ChannelRole role);

    [LoggerMessage(3604, LogLevel.Warning, "The peer refused channel binding ({Role}, {Stage}): {Reason}. Falling back to TLS and the normal credentials.")]
    public static partial void PeerRefused(ILogger logger, ChannelRole role, BindingStage stage, string reason);
}
