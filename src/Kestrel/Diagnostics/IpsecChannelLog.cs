using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using Microsoft.Extensions.Logging;

namespace CbbToolkit.Kestrel.Diagnostics;

/// <summary>
/// Every log event of the Kestrel integration, ids 4100-4149 (kcore's; the authentication side uses 4150-4199). Messages
/// carry connection ids, flows, SPIs, latch ids and IKE identities, never keys or binding values.
/// </summary>
internal static partial class IpsecChannelLog
{
    [LoggerMessage(4100, LogLevel.Information, "IPsec channels started: following the kernel of network namespace {Namespace} ({States} SAs, {Policies} policies)")]
    public static partial void Started(ILogger logger, string @namespace, int states, int policies);

    [LoggerMessage(4101, LogLevel.Critical, "The kernel's IPsec state cannot be read ({Status}): {Message}")]
    public static partial void KernelUnreadable(ILogger logger, XfrmStateCacheStatus status, string? message);

    [LoggerMessage(4102, LogLevel.Warning, "strongSwan (VICI) is not reachable at start-up; peers stay unknown (not verified) until it answers: {Message}")]
    public static partial void ViciUnavailable(ILogger logger, string message);

    [LoggerMessage(4110, LogLevel.Debug, "Connection {ConnectionId}: IPsec channel verified: {Channel}")]
    public static partial void Verified(ILogger logger, string connectionId, IpsecChannel? channel);

    [LoggerMessage(4111, LogLevel.Information, "Connection {ConnectionId} accepted unverified ({Mode}, {Status}): {Reason}")]
    public static partial void AcceptedUnverified(ILogger logger, string connectionId, IpsecChannelMode mode, IpsecChannelStatus status, string? reason);

    [LoggerMessage(4112, LogLevel.Warning, "Connection {ConnectionId} refused before any byte was read ({Status}): {Reason}")]
    public static partial void Refused(ILogger logger, string connectionId, IpsecChannelStatus status, string? reason);

    [LoggerMessage(4113, LogLevel.Error, "Connection {ConnectionId}: checking the IPsec channel failed; failing closed")]
    public static partial void CheckFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(4114, LogLevel.Warning, "Connection {ConnectionId}: {Latch} could not be created: {Message}")]
    public static partial void LatchFailed(ILogger logger, string connectionId, IpsecLatchHandle? latch, string message);

    [LoggerMessage(4115, LogLevel.Warning, "Connection {ConnectionId}: the OnChannelChecked callback failed; closing the connection")]
    public static partial void CallbackFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(4116, LogLevel.Debug, "Connection {ConnectionId}: the TLS channel information could not be computed: {Message}")]
    public static partial void TlsInfoFailed(ILogger logger, string connectionId, string message);

    [LoggerMessage(4120, LogLevel.Warning, "Connection {ConnectionId} aborted: latch #{LatchId} is {State}: {Reason} ({DelayMs:0.###} ms after the alert)")]
    public static partial void LatchLostAborted(ILogger logger, string connectionId, long latchId, IpsecLatchState state, string reason, double delayMs);

    [LoggerMessage(4121, LogLevel.Debug, "Connection {ConnectionId}: releasing latch {Latch} failed")]
    public static partial void ReleaseFailed(ILogger logger, string connectionId, IpsecLatchHandle latch, Exception exception);
}
