using System.Net;
using System.Net.Security;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Http.Connections;
using CbbToolkit.Http.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Http.Exchange;

// Decides per request which path carries it (the normal TLS pool, a first-contact connection, a bound connection) and
// records what happened as the request's IpsecExchangeInfo.
internal sealed partial class ExchangeRouter : IDisposable
{
    private readonly IpsecChannelOptions _options;
    private readonly ILogger _logger;
    private readonly IpsecHttpMetrics _metrics;
    private readonly IpsecChannelConnector _connector;
    private readonly BindingExchange _exchange;
    private readonly ServerAdverts _adverts;
    private readonly BoundConnections _bound = new();

    public ExchangeRouter(IpsecChannelOptions options, ILogger logger, IpsecHttpMetrics metrics)
    {
        _options = options;
        _logger = logger;
        _metrics = metrics;
        _connector = new IpsecChannelConnector(options, logger, metrics, readsSaKeys: true);
        _exchange = new BindingExchange(Options.Create(new BindingExchangeOptions()), timeProvider: options.TimeProvider);
        _adverts = new ServerAdverts(options.TimeProvider);
    }

    public delegate Task<HttpResponseMessage> Send(HttpRequestMessage request, CancellationToken cancellationToken);

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, Send normal, CancellationToken cancellationToken)
    {
        var requested = request.RequestUri ?? throw new InvalidOperationException("The request has no RequestUri (set it, or the HttpClient's BaseAddress).");
        var (path, reason, pin, advert) = Choose(request, requested);
        return path switch
        {
            BindingPath.FirstContact => await FirstContactAsync(request, requested, normal, cancellationToken).ConfigureAwait(false),
            BindingPath.Resume => await ResumeAsync(request, requested, normal, advert!, pin!, cancellationToken).ConfigureAwait(false),
            _ => await SendNormalAsync(request, requested, normal, IpsecBindingState.None, reason, null, cancellationToken).ConfigureAwait(false),
        };
    }

    private enum BindingPath
    {
        Normal,
        FirstContact,
        Resume,
    }

    private (BindingPath Path, string? Reason, ServerPin? Pin, ServerAdvert? Advert) Choose(HttpRequestMessage request, Uri requested)
    {
        if (!_options.UseBinding)
        {
            return (BindingPath.Normal, "binding-off", null, null);
        }

        if (_options.Pins is not { } pins)
        {
            return (BindingPath.Normal, "no-pin-store", null, null);
        }

        if (requested.Scheme != Uri.UriSchemeHttps)
        {
            return (BindingPath.Normal, "not-https", null, null);
        }

        // A binding stands in for the app's credentials: a request that carries none has nothing to bind or drop.
        if (request.Headers.Authorization is null && !OffersClientCertificate(_options.Tls))
        {
            return (BindingPath.Normal, "no-credentials", null, null);
        }

        // The handler's own connections speak HTTP/1.1 (one request at a time, so it knows which proof carried which).
        if (request.Version.Major >= 2 && request.VersionPolicy != HttpVersionPolicy.RequestVersionOrLower)
        {
            return (BindingPath.Normal, "http2-required", null, null);
        }

        var authority = Authority(requested);
        var pin = pins.Find(authority);
        if (pin is null && !_options.AllowLeapOfFaith)
        {
            return (BindingPath.Normal, "not-pinned", null, null);
        }

        var now = _options.TimeProvider.GetUtcNow();
        if (pin is not null && !pin.IsBindingExpiredAt(now) && _adverts.Find(authority) is { } advert)
        {
            if (advert.Plaintext is null)
            {
                return (BindingPath.Normal, "no-plaintext-endpoint", null, null);
            }

            // A bound connection may first be answered with a challenge: only a request that can be sent again goes there.
            return IsResendable(request) ? (BindingPath.Resume, null, pin, advert) : (BindingPath.Normal, "method-not-resumable", null, null);
        }

        return (BindingPath.FirstContact, null, null, null);
    }

    // The app's request as it made it, over the normal pool; the info says what the pool's connection showed.
    public async Task<HttpResponseMessage> SendNormalAsync(HttpRequestMessage request, Uri requested, Send normal, IpsecBindingState binding,
        string? bindingReason, IpsecFallbackReason? fallback, CancellationToken cancellationToken)
    {
        ((IDictionary<string, object?>)request.Options).Remove(IpsecHttpRequestOptions.Connection.Key); // a bound attempt's connection did not carry this send
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
            ClientCertificateSent = https && (connection?.SentClientCertificate ?? OffersClientCertificate(_options.Tls)),
            Binding = binding,
            BindingReason = bindingReason,
            Pin = pin ?? connection?.Pin ?? IpsecPinState.None,
            Fallback = fallback,
        };
    }

    // The fallback: logged, counted, and the app's request sent as it made it over the normal pool (a new TLS connection).
    private Task<HttpResponseMessage> FallBackAsync(HttpRequestMessage request, Uri requested, Send normal, IpsecFallbackReason fallback,
        string reason, string detail, CancellationToken cancellationToken)
    {
        _metrics.Fallback(fallback);
        IpsecHttpLog.Fallback(_logger, Authority(requested), fallback.ToToken(), reason, detail);
        return SendNormalAsync(request, requested, normal, IpsecBindingState.Refused, reason, fallback, cancellationToken);
    }

    public static bool OffersClientCertificate(SslClientAuthenticationOptions tls) =>
        tls.ClientCertificates is { Count: > 0 } || tls.ClientCertificateContext is not null || tls.LocalCertificateSelectionCallback is not null;

    private static bool IsResendable(HttpRequestMessage request) =>
        request.Content is null && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options);

    private static string Authority(Uri uri) => PinAuthority.Normalize($"{uri.IdnHost}:{uri.Port}");

    private static DnsEndPoint EndPoint(Uri uri) => new(uri.IdnHost, uri.Port);

    public void Dispose()
    {
        DisposeIdle();
        _connector.Dispose();
    }
}
