namespace CbbToolkit.Http;

/// <summary>Keys the handler sets in <see cref="HttpRequestMessage.Options"/>.</summary>
public static class IpsecHttpRequestOptions
{
    /// <summary>
    /// The connection the request opened: set on the request whose send made the connection. A request that reused a
    /// pooled connection (HTTP/1.1 keep-alive, or any stream multiplexed on an HTTP/2 connection) does not get it, because
    /// SocketsHttpHandler does not say which pooled connection served a request; such a request went over some
    /// connection that passed the same checks.
    /// </summary>
    public static readonly HttpRequestOptionsKey<IpsecConnectionInfo> Connection = new("CbbToolkit.Http.Connection");

    /// <summary>What carried the request (<see cref="IpsecExchangeInfo"/>): set on every request the handler sends, also when the send fails.</summary>
    public static readonly HttpRequestOptionsKey<IpsecExchangeInfo> Exchange = new("CbbToolkit.Http.Exchange");
}
