namespace CbbToolkit.Http;

/// <summary>
/// What the pin store said, or did, about a connection's server. The JSON token of each value
/// (<see cref="IpsecExchangeTokens.ToToken(IpsecPinState)"/>) is what <c>cbb http get --json</c> prints as <c>pin.state</c>.
/// </summary>
public enum IpsecPinState
{
    /// <summary>No pin check: no pin store configured, or no TLS on the connection. Token <c>none</c>.</summary>
    None = 0,

    /// <summary>The store has no pin for the authority (first contact) and none was written. Token <c>none</c>.</summary>
    Unknown,

    /// <summary>The server presented the pinned TLS key and IPsec identity. Token <c>matched</c>.</summary>
    Matched,

    /// <summary>
    /// First contact: the server was unknown and is now pinned, by leap of faith
    /// (<see cref="IpsecChannelOptions.AllowLeapOfFaith"/>), with the binding made on this exchange. Token <c>stored</c>.
    /// </summary>
    Stored,

    /// <summary>
    /// The server presented another TLS key or IPsec identity than the pinned one: the request failed with a
    /// <see cref="CbbToolkit.Channels.Stores.PinMismatchException"/>. Only seen on the request
    /// (<see cref="HttpResponseMessageChannelExtensions.GetIpsecExchange(HttpRequestMessage)"/>), never on a response.
    /// Token <c>mismatch</c>.
    /// </summary>
    Mismatch,
}
