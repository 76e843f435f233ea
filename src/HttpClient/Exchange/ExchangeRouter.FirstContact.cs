using System.Net;
using System.Net.Security;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Http;
using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Http.Connections;
using CbbToolkit.Http.Diagnostics;

namespace CbbToolkit.Http.Exchange;

// First contact (docs/binding-protocol.md 6.1, 9.2): the app's request, with its normal credentials, over a TLS
// connection of the handler's own, carrying CBB-Bind from that session's exporter and the connection's IPsec channel.
// The server authenticates the request as usual and answers it; CBB-Bind-Result makes the binding, kept with the pin.
// A refused binding never fails the request: it was served over TLS with the credentials.
internal sealed partial class ExchangeRouter
{
    private async Task<HttpResponseMessage> FirstContactAsync(HttpRequestMessage request, Uri requested, Send normal, CancellationToken cancellationToken)
    {
        var authority = Authority(requested);
        var connection = await OpenOwnAsync(request, requested, FirstContactTls(requested), cancellationToken).ConfigureAwait(false);
        using (connection)
        {
            ClientFirstContact state;
            try
            {
                state = _exchange.BeginClientFirstContact(connection.Tls!, BindingChannelView.Current(connection.Info, _options));
            }
            catch (ChannelBindingException e)
            {
                // Nothing was sent: the request goes as the app made it, over the normal path.
                var fallback = e.Reason == BindingFailureReason.ChannelNotVerified ? IpsecFallbackReason.ChannelNotVerified : IpsecFallbackReason.BindingRefused;
                return await FallBackAsync(request, requested, normal, fallback, e.Reason.ToToken(), e.Message, cancellationToken).ConfigureAwait(false);
            }

            using (state)
            {
                request.Options.Set(IpsecHttpRequestOptions.Connection, connection.Info);
                HttpResponseMessage response;
                request.Headers.Remove(BindingHeaderNames.Bind);
                request.Headers.TryAddWithoutValidation(BindingHeaderNames.Bind, BindingHeaderCodec.Format(state.Request));
                try
                {
                    response = await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    request.Options.Set(IpsecHttpRequestOptions.Exchange, OwnInfo(request, requested, requested, connection, request.Headers.Authorization is not null,
                        IpsecBindingState.None, "not-offered", null, connection.Info.Pin, null, dropped: false));
                    throw;
                }
                finally
                {
                    request.Headers.Remove(BindingHeaderNames.Bind);
                }

                var (binding, reason, id, pin) = await CompleteFirstContactAsync(state, response, connection, authority, cancellationToken).ConfigureAwait(false);
                request.Options.Set(IpsecHttpRequestOptions.Exchange, OwnInfo(request, requested, requested, connection, request.Headers.Authorization is not null,
                    binding, reason, id, pin, null, dropped: false));
                return response;
            }
        }
    }

    private async Task<(IpsecBindingState, string?, BindingId?, IpsecPinState)> CompleteFirstContactAsync(ClientFirstContact state,
        HttpResponseMessage response, OwnConnection connection, string authority, CancellationToken cancellationToken)
    {
        var pinState = connection.Info.Pin;
        try
        {
            BindingMessage answer;
            if (response.Headers.TryGetValues(BindingHeaderNames.BindResult, out var result))
            {
                answer = BindingHeaderCodec.Parse(BindingMessageType.ServerFirstContact, result.ToList());
            }
            else if (response.Headers.TryGetValues(BindingHeaderNames.Error, out var error))
            {
                answer = BindingHeaderCodec.Parse(BindingMessageType.Refusal, error.ToList());
            }
            else
            {
                // The server does not bind (no binding middleware, or the request was not authenticated): nothing is kept.
                return (IpsecBindingState.None, "not-offered", null, pinState);
            }

            using var record = _exchange.CompleteClientFirstContact(state, answer, BindingChannelView.LocalIdentity(connection.Info), authority);
            var outcome = await _options.Pins!.PinAsync(record, _options.AllowLeapOfFaith, cancellationToken).ConfigureAwait(false);
            pinState = outcome == PinWriteOutcome.Pinned ? IpsecPinState.Stored : IpsecPinState.Matched;
            _adverts.Set(authority, Advert(response, connection, record.ExpiresAt));
            _metrics.BindingCreated();
            IpsecHttpLog.BindingCreated(_logger, record.Id, authority, pinState);
            return (IpsecBindingState.Created, null, record.Id, pinState);
        }
        catch (ChannelBindingException e)
        {
            var reason = (e.Reason == BindingFailureReason.PeerRefused ? e.PeerReason ?? e.Reason : e.Reason).ToToken();
            _metrics.BindingRefused(reason);
            IpsecHttpLog.FirstContactRefused(_logger, authority, reason, e.Message);
            return (IpsecBindingState.Refused, reason, null, pinState);
        }
        catch (Exception e) when (e is PinNotTrustedException or PinMismatchException)
        {
            _metrics.BindingRefused("not-pinned");
            IpsecHttpLog.FirstContactRefused(_logger, authority, "not-pinned", e.Message);
            return (IpsecBindingState.Refused, "not-pinned", null, pinState);
        }
    }

    // Where later requests go: the advertised plaintext port on the IP address this connection reached, for as long as
    // both the advertisement and the binding hold; or, without one (or with one that does not parse), nowhere but TLS.
    private ServerAdvert Advert(HttpResponseMessage response, OwnConnection connection, DateTimeOffset bindingExpires)
    {
        if (response.Headers.TryGetValues(BindingHeaderNames.Plaintext, out var values) && values.ToList() is [var value]
            && PlaintextEndpoint.TryParse(value, out var endpoint, out _))
        {
            var until = _options.TimeProvider.GetUtcNow() + endpoint.MaxAge;
            return new ServerAdvert(new IPEndPoint(connection.Info.Flow.Remote.Address, endpoint.Port), until < bindingExpires ? until : bindingExpires);
        }

        return new ServerAdvert(null, bindingExpires);
    }

    // The app's TLS options (validation, client certificates, protocols) with the handler's checks (pins); HTTP/1.1.
    private SslClientAuthenticationOptions FirstContactTls(Uri requested) => OwnTls(requested, withClientCertificate: true);

    private SslClientAuthenticationOptions OwnTls(Uri requested, bool withClientCertificate)
    {
        var tls = TlsCallbacks.Wrap(_options.Tls, _options.Pins);
        tls.TargetHost = _options.Tls.TargetHost ?? requested.IdnHost;
        tls.ApplicationProtocols = [SslApplicationProtocol.Http11];
        if (!withClientCertificate)
        {
            tls.ClientCertificates = null;
            tls.ClientCertificateContext = null;
            tls.LocalCertificateSelectionCallback = null;
        }

        return tls;
    }

    // Opens one of the handler's own connections; a refusal, a TLS failure or a pin mismatch fails the request as the
    // normal path would (HttpRequestException with the typed cause): never a retry over less.
    private async Task<OwnConnection> OpenOwnAsync(HttpRequestMessage request, Uri requested, SslClientAuthenticationOptions? tls, CancellationToken cancellationToken)
    {
        try
        {
            return await OwnConnection.OpenAsync(_connector, EndPoint(requested), tls, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var pin = e is PinMismatchException ? IpsecPinState.Mismatch : IpsecPinState.None;
            request.Options.Set(IpsecHttpRequestOptions.Exchange, new IpsecExchangeInfo(requested, requested) { UsedTls = tls is not null, Pin = pin });
            throw new HttpRequestException(e is IpsecChannelRefusedException or PinMismatchException or System.Security.Authentication.AuthenticationException
                ? HttpRequestError.SecureConnectionError : HttpRequestError.ConnectionError, $"{requested.GetLeftPart(UriPartial.Authority)}: {e.Message}", e);
        }
    }

    // What one of the handler's own connections carried; dropped: the app's credentials and TLS were left out for the binding.
    private IpsecExchangeInfo OwnInfo(HttpRequestMessage request, Uri requested, Uri used, OwnConnection connection, bool authorizationSent,
        IpsecBindingState binding, string? reason, BindingId? id, IpsecPinState pin, IpsecFallbackReason? fallback, bool dropped) =>
        new(requested, used)
        {
            Connection = connection.Info,
            UsedTls = connection.Tls is not null,
            AuthorizationSent = authorizationSent,
            CredentialsDropped = dropped && (request.Headers.Authorization is not null || OffersClientCertificate(_options.Tls)),
            TlsDropped = dropped,
            ClientCertificateSent = connection.Info.SentClientCertificate,
            Binding = binding,
            BindingReason = reason,
            BindingId = id,
            Pin = pin,
            Fallback = fallback,
        };
}
