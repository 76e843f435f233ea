using Microsoft.Extensions.Logging;

namespace CbbToolkit.Ipsec.Latching;

/// <summary>The latch database's log messages (event ids 3400-3499).</summary>
internal static partial class LatchLog
{
    [LoggerMessage(3401, LogLevel.Information, "{Handle} {Flow}: {Previous} -> {State}: {Reason}")]
    public static partial void StateChanged(ILogger logger, IpsecLatchHandle handle, string? flow, IpsecLatchState previous, IpsecLatchState state, string reason);

    [LoggerMessage(3402, LogLevel.Debug, "{Handle} rekeyed congruently: SPIs out 0x{OutSpi:x8} in 0x{InSpi:x8}")]
    public static partial void Rekeyed(ILogger logger, IpsecLatchHandle handle, uint outSpi, uint inSpi);

    [LoggerMessage(3403, LogLevel.Error, "A latch alert handler failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(3404, LogLevel.Error, "Latch evaluation failed")]
    public static partial void EvaluationFailed(ILogger logger, Exception exception);

    [LoggerMessage(3405, LogLevel.Debug, "{Handle}: its SAs went away; BROKEN is held back for up to {GraceMs} ms for a congruent successor: {Reason}")]
    public static partial void BrokenVerdictHeld(ILogger logger, IpsecLatchHandle handle, double graceMs, string reason);

    [LoggerMessage(3406, LogLevel.Debug, "{Handle}: a congruent SA came after {HeldMs:0} ms; the held BROKEN verdict is withdrawn")]
    public static partial void HoldWithdrawn(ILogger logger, IpsecLatchHandle handle, double heldMs);
}
