using Microsoft.Extensions.Logging;

namespace CbbToolkit.Channels.Stores;

/// <summary>The stores' log messages (event ids 3700-3799). Never a secret; ids and fingerprints only.</summary>
internal static partial class StoreLog
{
    [LoggerMessage(3701, LogLevel.Information, "Pinned {Authority} on first contact (leap of faith): server SPKI {SpkiSha256}, IPsec {IpsecIdentity}, binding {BindingId}")]
    public static partial void Pinned(ILogger logger, string authority, string spkiSha256, string ipsecIdentity, string bindingId);

    [LoggerMessage(3702, LogLevel.Debug, "Replaced the binding of {Authority}: {OldBindingId} -> {NewBindingId} (same server identity)")]
    public static partial void BindingReplaced(ILogger logger, string authority, string oldBindingId, string newBindingId);

    [LoggerMessage(3703, LogLevel.Warning, "PIN MISMATCH for {Authority}: {What} was {Old}, now {New}. Refused; remove the pin (cbb pins remove {Authority}) only if the server's identity really changed")]
    public static partial void PinMismatch(ILogger logger, string authority, string what, string old, string @new);

    [LoggerMessage(3704, LogLevel.Warning, "Refused to pin {Authority}: no pin exists and leap of faith is not allowed")]
    public static partial void PinNotTrusted(ILogger logger, string authority);

    [LoggerMessage(3705, LogLevel.Information, "Removed the pin of {Authority}")]
    public static partial void PinRemoved(ILogger logger, string authority);

    [LoggerMessage(3706, LogLevel.Error, "Pin store {Path} refused: {Reason}")]
    public static partial void PinStoreRefused(ILogger logger, string path, string reason);

    [LoggerMessage(3710, LogLevel.Debug, "Stored binding {BindingId}, expires {ExpiresAt:O}")]
    public static partial void BindingStored(ILogger logger, string bindingId, DateTimeOffset expiresAt);

    [LoggerMessage(3711, LogLevel.Information, "Revoked binding {BindingId} (was stored: {WasStored})")]
    public static partial void BindingRevoked(ILogger logger, string bindingId, bool wasStored);

    [LoggerMessage(3712, LogLevel.Warning, "Binding {BindingId} refused by the store: {Status}")]
    public static partial void BindingRefused(ILogger logger, string bindingId, ChannelBindingLookupStatus status);

    [LoggerMessage(3713, LogLevel.Error, "Binding {BindingId}: the stored entry is bad ({Problem}); refused")]
    public static partial void BadEntry(ILogger logger, string bindingId, string problem);

    [LoggerMessage(3714, LogLevel.Debug, "Swept {Count} expired bindings and revocations")]
    public static partial void Swept(ILogger logger, int count);
}
