using System.Net.Security;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Http.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CbbToolkit.Http.Exchange;

// Decides per request which path carries it (the normal TLS pool, a first-contact connection, a bound connection) and
// records what happened as the request's IpsecExchangeInfo.
internal sealed class ExchangeRouter(IpsecChannelOptions options, ILogger logger, IpsecHttpMetrics metrics) : IDisposable
{
    public delegate Task<HttpResponseMessage> Send(HttpRequestMessage request, CancellationToken cancellationToken);

    public IpsecChannelOptions Options => options;

    public ILogger Logger => logger;

    public IpsecHttpMetrics Metrics => metrics;

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, Send normal, CancellationToken cancellationToken)
    {
        var requested = request.RequestUri ?? throw new InvalidOperationException("The request has no RequestUri (set it, or the HttpClient's BaseAddress).");
        return await SendNormalAsync(request, requested, normal, IpsecBindingState.None, BindingOffReason(requested), null, cancellationToken).ConfigureAwait(false);
    }

    // The app's request as it made it, over the normal pool; the info says what the pool's connection showed.
    public async Task<HttpResponseMessage> SendNormalAsync(HttpRequestMessage request, Uri requested, Send normal, IpsecBindingState binding,
        string? bindingReason, IpsecFallbackReason? fallback, CancellationToken cancellationToken)
    {
        try
        {
            var response = await normal(request, cancellationToken).ConfigureAwait(false);
            request.Options.Set(IpsecHttpRequestOptions.Exchange, NormalInfo(request, requested, binding, bindingReason, fallback, null));
            return response;
        }
        catch (HttpRequestException e) when (e.InnerException is PinMismatchException)
        {
            request.Options.Set(IpsecHttpRequestOptions.Exchange, NormalInfo(request, requested, binding, bindingReason, fallback, IpsecPinState.Mismatch));
            throw;
        }
        catch (Exception)
        {
            request.Options.Set(IpsecHttpRequestOptions.Exchange, NormalInfo(request, requested, binding, bindingReason, fallback, null));
            throw;
        }
    }

    private IpsecExchangeInfo NormalInfo(HttpRequestMessage request, Uri requested, IpsecBindingState binding, string? bindingReason,
        IpsecFallbackReason? fallback, IpsecPinState? pin)
    {
        request.Options.TryGetValue(IpsecHttpRequestOptions.Connection, out var connection);
        var https = requested.Scheme == Uri.UriSchemeHttps;
        return new IpsecExchangeInfo(requested, requested)
        {
            Connection = connection,
            UsedTls = https,
            AuthorizationSent = request.Headers.Authorization is not null,
            ClientCertificateSent = https && (connection?.SentClientCertificate ?? OffersClientCertificate(options.Tls)),
            Binding = binding,
            BindingReason = bindingReason,
            Pin = pin ?? connection?.Pin ?? IpsecPinState.None,
            Fallback = fallback,
        };
    }

    public static bool OffersClientCertificate(SslClientAuthenticationOptions tls) =>
        tls.ClientCertificates is { Count: > 0 } || tls.ClientCertificateContext is not null || tls.LocalCertificateSelectionCallback is not null;

    private string BindingOffReason(Uri requested) =>
        !options.UseBinding ? "binding-off" : options.Pins is null ? "no-pin-store" : requested.Scheme != Uri.UriSchemeHttps ? "not-https" : "not-offered";

    public void Dispose()
    {
    }
}
