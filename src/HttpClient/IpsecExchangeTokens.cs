namespace CbbToolkit.Http;

/// <summary>The lower-case tokens of the per-response states, as logs, metrics tags and <c>cbb http get --json</c> use them.</summary>
public static class IpsecExchangeTokens
{
    /// <summary><c>none</c> (None, Unknown), <c>matched</c>, <c>stored</c> or <c>mismatch</c>.</summary>
    /// <param name="state">The pin state.</param>
    public static string ToToken(this IpsecPinState state) => state switch
    {
        IpsecPinState.Matched => "matched",
        IpsecPinState.Stored => "stored",
        IpsecPinState.Mismatch => "mismatch",
        _ => "none",
    };

    /// <summary><c>none</c>, <c>created</c>, <c>used</c> or <c>refused</c>.</summary>
    /// <param name="state">The binding state.</param>
    public static string ToToken(this IpsecBindingState state) => state switch
    {
        IpsecBindingState.Created => "created",
        IpsecBindingState.Used => "used",
        IpsecBindingState.Refused => "refused",
        _ => "none",
    };

    /// <summary>The fallback's kebab-case token, e.g. <c>binding-refused</c>.</summary>
    /// <param name="reason">The fallback reason.</param>
    public static string ToToken(this IpsecFallbackReason reason) => reason switch
    {
        IpsecFallbackReason.ChannelNotVerified => "channel-not-verified",
        IpsecFallbackReason.BindingRefused => "binding-refused",
        IpsecFallbackReason.LatchBroken => "latch-broken",
        IpsecFallbackReason.Unreachable => "unreachable",
        IpsecFallbackReason.NotChallenged => "not-challenged",
        _ => "unknown",
    };
}
