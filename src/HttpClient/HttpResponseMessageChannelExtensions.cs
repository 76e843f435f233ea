namespace CbbToolkit.Http;

/// <summary>Reads what the handler recorded about the channel of a response.</summary>
public static class HttpResponseMessageChannelExtensions
{
    /// <summary>
    /// The connection this response's request opened, or <see langword="null"/> when it reused a pooled connection (see
    /// <see cref="IpsecHttpRequestOptions.Connection"/>) or did not go through the IPsec channel handler.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <returns>The connection's description, or null.</returns>
    public static IpsecConnectionInfo? GetIpsecConnection(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.RequestMessage is { } request && request.Options.TryGetValue(IpsecHttpRequestOptions.Connection, out var info) ? info : null;
    }

    /// <summary>
    /// What carried this response's request: channel, TLS, credentials sent or dropped, binding, pin, the URL used. Null
    /// only when the request did not go through the IPsec channel handler.
    /// </summary>
    /// <param name="response">The response.</param>
    public static IpsecExchangeInfo? GetIpsecExchange(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.RequestMessage?.GetIpsecExchange();
    }

    /// <summary>
    /// What carried the request, also after its send failed (a refusal: <see cref="IpsecExchangeInfo.Pin"/> is
    /// <see cref="IpsecPinState.Mismatch"/> after a pin mismatch). Null when the handler did not get that far.
    /// </summary>
    /// <param name="request">The request the app sent.</param>
    public static IpsecExchangeInfo? GetIpsecExchange(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(IpsecHttpRequestOptions.Exchange, out var info) ? info : null;
    }
}
