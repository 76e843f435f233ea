using CbbToolkit.Channels.Stores;

namespace CbbToolkit.Http.Exchange;

// Later requests to a bound server: over a connection of the handler's own to the server's plaintext endpoint that
// proves the binding (docs/binding-protocol.md 6.3, 9.3), without the Authorization header and without TLS.
internal sealed partial class ExchangeRouter
{
    private Task<HttpResponseMessage> ResumeAsync(HttpRequestMessage request, Uri requested, Send normal, ServerPin pin, CancellationToken cancellationToken) =>
        SendNormalAsync(request, requested, normal, IpsecBindingState.None, "not-offered", null, cancellationToken);

    private static void DisposeIdle()
    {
    }
}
