namespace CbbToolkit.Http;

/// <summary>
/// What the binding exchange (docs/binding-protocol.md) did for one request. The token of each value
/// (<see cref="IpsecExchangeTokens.ToToken(IpsecBindingState)"/>) is what <c>cbb http get --json</c> prints as
/// <c>binding.state</c>; <see cref="IpsecExchangeInfo.BindingReason"/> says why.
/// </summary>
public enum IpsecBindingState
{
    /// <summary>
    /// No binding was made or used: binding is off, the server is not pinned and leap of faith is not allowed, the
    /// request carried no credentials to bind, or the server answered without a binding. Token <c>none</c>.
    /// </summary>
    None = 0,

    /// <summary>First contact over TLS: the server bound the request's principal and the binding was stored with the pin. Token <c>created</c>.</summary>
    Created,

    /// <summary>The request went over a connection that proved the stored binding (no Authorization, no client certificate). Token <c>used</c>.</summary>
    Used,

    /// <summary>
    /// The exchange failed (the server refused, a proof did not verify, the channel was not verified, the latch broke):
    /// the request was sent, or sent again, over TLS with the app's credentials. Token <c>refused</c>.
    /// </summary>
    Refused,
}
