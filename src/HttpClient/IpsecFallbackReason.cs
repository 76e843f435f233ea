namespace CbbToolkit.Http;

/// <summary>
/// Why a request meant for the binding (first contact, or a bound connection) went over TLS with the app's normal
/// credentials on a new connection of the normal pool instead (logged as event
/// 1405, counted on <c>cbb.http.binding.fallbacks</c> with the tag <c>cbb.reason</c> = the token,
/// <see cref="IpsecExchangeTokens.ToToken(IpsecFallbackReason)"/>). Never a fallback to less: the request is sent as the
/// app made it.
/// </summary>
public enum IpsecFallbackReason
{
    /// <summary>The new connection's IPsec channel was not verified (no SA pair, no ipsec-sa-binding, latch not established). Token <c>channel-not-verified</c>.</summary>
    ChannelNotVerified = 1,

    /// <summary>The server refused the binding proof (<c>CBB-Error</c>), or its answer did not verify. Token <c>binding-refused</c>.</summary>
    BindingRefused,

    /// <summary>
    /// The kept bound connection's latch was no longer ESTABLISHED when the request was to be sent on it (the connection
    /// was closed). A latch that breaks while the request is in flight fails that request instead, with
    /// <see cref="IpsecChannelRefusal.LatchBroken"/>. Token <c>latch-broken</c>.
    /// </summary>
    LatchBroken,

    /// <summary>The bound endpoint could not be reached (connect failed, closed before an answer). Token <c>unreachable</c>.</summary>
    Unreachable,

    /// <summary>
    /// The server answered on a connection that had not proven the binding without asking for it (no
    /// <c>CBB-Challenge</c>): it served an anonymous caller, so the request was sent again with the credentials. Only safe
    /// methods are sent that way. Token <c>not-challenged</c>.
    /// </summary>
    NotChallenged,
}
