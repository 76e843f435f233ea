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
}
