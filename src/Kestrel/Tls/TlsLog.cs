using Microsoft.Extensions.Logging;

namespace CbbToolkit.Kestrel.Tls;

/// <summary>The per-connection client-certificate decision (event ids 3740-3749).</summary>
internal static partial class TlsLog
{
    [LoggerMessage(3740, LogLevel.Debug, "Connection {ConnectionId}: verified IPsec peer {PeerId} accepted as the principal; no client certificate asked for")]
    public static partial void ClientCertificateDropped(ILogger logger, string connectionId, string peerId);

    [LoggerMessage(3741, LogLevel.Debug, "Connection {ConnectionId}: client certificate asked for as configured ({Mode}); IPsec channel {Status}")]
    public static partial void ClientCertificateAsked(ILogger logger, string connectionId, string mode, string status);

    [LoggerMessage(3742, LogLevel.Warning, "Connection {ConnectionId}: the IPsec peer check threw; asking for a client certificate as configured")]
    public static partial void AcceptPeerFailed(ILogger logger, string connectionId, Exception exception);
}
