using Microsoft.Extensions.Logging;

namespace CbbToolkit.Http.Diagnostics;

// Event ids 1400-1499 belong to the HttpClient handler. Never a secret, proof or exporter value.
internal static partial class IpsecHttpLog
{
    [LoggerMessage(EventId = 1400, Level = LogLevel.Debug, Message = "Connection {Connection} opened")]
    public static partial void ConnectionOpened(ILogger logger, IpsecConnectionInfo connection);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Connection to {Host} refused ({Reason}): {Detail}")]
    public static partial void ConnectionRefused(ILogger logger, string host, IpsecChannelRefusal reason, string detail);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "The latch of {Flow} broke ({Reason}); the connection was closed")]
    public static partial void LatchBroken(ILogger logger, string flow, string reason);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "Binding {BindingId} created with {Authority} at first contact over TLS (pin {Pin})")]
    public static partial void BindingCreated(ILogger logger, CbbToolkit.Channels.Bindings.BindingId bindingId, string authority, IpsecPinState pin);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Debug, Message = "Binding {BindingId} proven on {Flow}: credentials dropped")]
    public static partial void BindingUsed(ILogger logger, CbbToolkit.Channels.Bindings.BindingId bindingId, CbbToolkit.Ipsec.Resolution.IpsecFlow flow);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Warning,
        Message = "Request to {Authority} fell back to TLS with the normal credentials on a new connection ({Fallback}, binding {Reason}): {Detail}")]
    public static partial void Fallback(ILogger logger, string authority, string fallback, string reason, string detail);

    [LoggerMessage(EventId = 1406, Level = LogLevel.Warning,
        Message = "Binding with {Authority} refused at first contact ({Reason}); the request was served over TLS with the normal credentials: {Detail}")]
    public static partial void FirstContactRefused(ILogger logger, string authority, string reason, string detail);
}
