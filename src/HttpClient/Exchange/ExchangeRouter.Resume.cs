using System.Net;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Http;
using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Http.Diagnostics;

namespace CbbToolkit.Http.Exchange;

// Later requests to a bound server (docs/binding-protocol.md 6.3, 9.3): over a connection of the handler's own to the
// plaintext endpoint the server advertised at first contact, on a verified (latched) IPsec channel, without the
// Authorization header and without TLS (so without a client certificate). A new connection is challenged (401 with
// CBB-Challenge) and answers with CBB-Resume; from CBB-Resume-Result on, the server authenticates every request on it
// as the bound principal. Any failure falls back to TLS with the normal credentials on a new connection.
internal sealed partial class ExchangeRouter
{
    private async Task<HttpResponseMessage> ResumeAsync(HttpRequestMessage request, Uri requested, Send normal, ServerAdvert advert, ServerPin pin,
        CancellationToken cancellationToken)
    {
        var authority = Authority(requested);
        var plaintext = advert.Plaintext!;
        var used = new UriBuilder(requested) { Scheme = Uri.UriSchemeHttp, Host = plaintext.Address.ToString(), Port = plaintext.Port }.Uri;
        using var record = pin.CreateBindingRecord();
        for (var attempt = 0; ; attempt++)
        {
#pragma warning disable CA2000 // every path below returns the connection to the pool or disposes it
            var connection = _bound.Take(authority);
#pragma warning restore CA2000
            var reused = connection is not null;
            if (connection is null)
            {
                try
                {
                    connection = await OwnConnection.OpenAsync(_connector, new DnsEndPoint(plaintext.Address.ToString(), plaintext.Port), null, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (IpsecChannelRefusedException e)
                {
                    return await FallBackAsync(request, requested, normal, IpsecFallbackReason.ChannelNotVerified, "channel-not-verified", e.Message, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
                {
                    return await FallBackAsync(request, requested, normal, IpsecFallbackReason.Unreachable, "unreachable", e.Message, cancellationToken)
                        .ConfigureAwait(false);
                }
            }

            var channel = BindingChannelView.Current(connection.Info, _options);
            if (!BindingChannelView.CanResume(channel))
            {
                // Not verified now: a kept connection whose latch is no longer ESTABLISHED, or a new one without a latched SA pair.
                connection.Dispose();
                var fallback = reused ? IpsecFallbackReason.LatchBroken : IpsecFallbackReason.ChannelNotVerified;
                return await FallBackAsync(request, requested, normal, fallback, "channel-not-verified",
                    $"{connection.Info.Flow}: no ipsec-sa-binding or the latch is not ESTABLISHED.", cancellationToken).ConfigureAwait(false);
            }

            var authorization = request.Headers.Authorization;
            var uri = request.RequestUri;
            request.Headers.Authorization = null;
            request.RequestUri = used;
            request.Options.Set(IpsecHttpRequestOptions.Connection, connection.Info);
            ResumeOutcome outcome;
            try
            {
                outcome = await SendBoundAsync(connection, request, record, channel, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (LatchBroke(e))
            {
                // The latch broke in flight: the request fails with the typed reason; the next one gets a fresh connection.
                connection.Dispose();
                request.Options.Set(IpsecHttpRequestOptions.Exchange, OwnInfo(request, requested, used, connection, false, IpsecBindingState.Refused,
                    "channel-not-verified", record.Id, IpsecPinState.Matched, null, dropped: true));
                throw;
            }
            catch (HttpRequestException) when (reused && attempt == 0)
            {
                connection.Dispose(); // a kept connection the server closed meanwhile: once more on a new one
                continue;
            }
            catch (HttpRequestException e)
            {
                connection.Dispose();
                return await FallBackAsync(request, requested, normal, IpsecFallbackReason.Unreachable, "unreachable", e.Message, cancellationToken)
                    .ConfigureAwait(false);
            }
            finally
            {
                request.Headers.Authorization = authorization;
                request.RequestUri = uri;
                request.Headers.Remove(BindingHeaderNames.Resume);
            }

            if (outcome.Response is { } response)
            {
                request.Options.Set(IpsecHttpRequestOptions.Exchange, OwnInfo(request, requested, used, connection, false, IpsecBindingState.Used, null,
                    record.Id, IpsecPinState.Matched, null, dropped: true));
                _bound.Return(authority, connection);
                return response;
            }

            connection.Dispose();
            if (outcome.Fallback == IpsecFallbackReason.BindingRefused)
            {
                // The binding no longer holds (expired, unknown, identity changed): the next request binds again at first contact.
                _adverts.Forget(authority);
                _bound.Close(authority);
            }

            return await FallBackAsync(request, requested, normal, outcome.Fallback!.Value, outcome.Reason!, outcome.Detail!, cancellationToken).ConfigureAwait(false);
        }
    }

    // One request on a bound connection: answered as the bound principal, or challenged and proven first.
    private async Task<ResumeOutcome> SendBoundAsync(OwnConnection connection, HttpRequestMessage request, ChannelBindingRecord record,
        ChannelInfo channel, CancellationToken cancellationToken)
    {
        // A challenge holds for its connection only: an app's "Connection: close" waits for the proof, or the server
        // would close between the challenge and the proof. The app's request is left as it made it.
        var close = request.Headers.ConnectionClose == true && !connection.IsBound;
        if (close)
        {
            request.Headers.ConnectionClose = null;
        }

        try
        {
            return await SendBoundAsync(connection, request, record, channel, close, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (close)
            {
                request.Headers.ConnectionClose = true;
            }
        }
    }

    private async Task<ResumeOutcome> SendBoundAsync(OwnConnection connection, HttpRequestMessage request, ChannelBindingRecord record,
        ChannelInfo channel, bool closeAfterProof, CancellationToken cancellationToken)
    {
        var response = await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (Refusal(response) is { } refused)
        {
            response.Dispose();
            return ResumeOutcome.Failed(refused == BindingFailureReason.ChannelNotVerified ? IpsecFallbackReason.ChannelNotVerified : IpsecFallbackReason.BindingRefused,
                refused.ToToken(), $"The server refused the connection ({refused.ToToken()}).");
        }

        if (response.StatusCode != HttpStatusCode.Unauthorized || !response.Headers.TryGetValues(BindingHeaderNames.Challenge, out var challengeValues))
        {
            if (connection.IsBound)
            {
                return ResumeOutcome.Served(response);
            }

            // Served without asking for the binding: it served an anonymous caller, not the app's principal.
            response.Dispose();
            return ResumeOutcome.Failed(IpsecFallbackReason.NotChallenged, "not-challenged", $"{(int)response.StatusCode} without {BindingHeaderNames.Challenge}.");
        }

        response.Dispose();
        connection.IsBound = false;
        try
        {
            var challenge = BindingHeaderCodec.Parse(BindingMessageType.Challenge, challengeValues.ToList());
            using var resume = _exchange.BeginClientResume(record, challenge, channel, connection.Info.Flow);
            request.Headers.TryAddWithoutValidation(BindingHeaderNames.Resume, BindingHeaderCodec.Format(resume.Request));
            if (closeAfterProof)
            {
                request.Headers.ConnectionClose = true;
            }

            response = await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (Refusal(response) is { } reason)
            {
                response.Dispose();
                return ResumeOutcome.Failed(reason == BindingFailureReason.ChannelNotVerified ? IpsecFallbackReason.ChannelNotVerified : IpsecFallbackReason.BindingRefused,
                    reason.ToToken(), $"The server refused the proof ({reason.ToToken()}).");
            }

            if (!response.Headers.TryGetValues(BindingHeaderNames.ResumeResult, out var result))
            {
                response.Dispose();
                return ResumeOutcome.Failed(IpsecFallbackReason.BindingRefused, "unexpected-message", $"{(int)response.StatusCode} without {BindingHeaderNames.ResumeResult}.");
            }

            // Only the server's own proof makes the connection bound: before it, the answer is not trusted as the principal's.
            _exchange.CompleteClientResume(resume, BindingHeaderCodec.Parse(BindingMessageType.ServerResume, result.ToList()));
            connection.IsBound = true;
            _metrics.BindingUsed();
            IpsecHttpLog.BindingUsed(_logger, record.Id, connection.Info.Flow);
            return ResumeOutcome.Served(response);
        }
        catch (ChannelBindingException e)
        {
            response.Dispose();
            return ResumeOutcome.Failed(e.Reason == BindingFailureReason.ChannelNotVerified ? IpsecFallbackReason.ChannelNotVerified : IpsecFallbackReason.BindingRefused,
                e.Reason.ToToken(), e.Message);
        }
    }

    private static BindingFailureReason? Refusal(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(BindingHeaderNames.Error, out var values))
        {
            return null;
        }

        try
        {
            return BindingHeaderCodec.Parse(BindingMessageType.Refusal, values.ToList()).Reason;
        }
        catch (ChannelBindingException e)
        {
            return e.Reason;
        }
    }

    private static bool LatchBroke(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is IpsecChannelRefusedException { Reason: IpsecChannelRefusal.LatchBroken })
            {
                return true;
            }
        }

        return false;
    }

    private void DisposeIdle() => _bound.Dispose();

    private sealed record ResumeOutcome(HttpResponseMessage? Response, IpsecFallbackReason? Fallback, string? Reason, string? Detail)
    {
        public static ResumeOutcome Served(HttpResponseMessage response) => new(response, null, null, null);

        public static ResumeOutcome Failed(IpsecFallbackReason fallback, string reason, string detail) => new(null, fallback, reason, detail);
    }
}
