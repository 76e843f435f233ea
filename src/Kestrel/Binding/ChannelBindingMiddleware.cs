using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Http;
using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Ipsec;
using CbbToolkit.Channels;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Kestrel.Binding;

/// <summary>
/// The first-contact exchange's server end over HTTPS (docs/binding-protocol.md 9.2): on a request over TLS that carries
/// <c>CBB-Bind</c> and is authenticated, proves the binding against this connection's TLS exporter and IPsec channel,
/// records it for the request's principal and answers with <c>CBB-Bind-Result</c> (and <c>CBB-Plaintext</c>), or with
/// <c>CBB-Error</c>. Runs after authentication and authorization, before the endpoint; a refused binding never fails the
/// request: it is served on TLS and its normal credentials, as without <c>CBB-Bind</c>.
/// </summary>
internal sealed class ChannelBindingMiddleware(
    RequestDelegate next,
    BindingExchange exchange,
    IChannelBindingStore store,
    IOptions<ChannelBindingServerOptions> options,
    IpsecChannelMetrics metrics,
    ILogger<ChannelBindingMiddleware> logger)
{
    private readonly string? _plaintext = options.Value.PlaintextPort is { } port
        ? new PlaintextEndpoint(port, options.Value.PlaintextMaxAge).Format()
        : null;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Headers.TryGetValue(BindingHeaderNames.Bind, out var values))
        {
            await BindAsync(context, values).ConfigureAwait(false);
        }

        await next(context).ConfigureAwait(false);
    }

    private async Task BindAsync(HttpContext context, IReadOnlyList<string?> values)
    {
        var connectionId = context.Connection.Id;
        var state = ChannelBindingConnectionState.Of(context);
        try
        {
            var request = BindingHeaderCodec.Parse(BindingMessageType.ClientFirstContact, values);
            if (context.Features.Get<ISslStreamFeature>()?.SslStream is not { } tls)
            {
                throw new ChannelBindingException(BindingFailureReason.UnexpectedMessage,
                    "CBB-Bind arrived on a connection without TLS: first contact runs only inside an authenticated TLS session.");
            }

            if (context.User.Identities.All(i => !i.IsAuthenticated))
            {
                BindingServerLog.BindUnauthenticated(logger, connectionId);
                return;
            }

            var channel = context.Features.Get<IIpsecChannelFeature>();
            // A channel that is not protected and latched offers nothing to bind: the exchange refuses it (logged, counted).
            var info = ChannelViews.CanCarryBinding(channel) ? ChannelViews.CurrentChannelInfo(channel) : ChannelInfo.Empty;
            var principal = BoundPrincipal.FromClaimsPrincipal(context.User);
            var (response, record) = exchange.AcceptClientFirstContact(tls, info, request, ChannelViews.LocalIdentity(channel), principal)!.Value;
            using (record)
            {
                await store.CreateAsync(record, context.RequestAborted).ConfigureAwait(false);
            }

            context.Response.Headers[BindingHeaderNames.BindResult] = BindingHeaderCodec.Format(response);
            if (_plaintext is not null)
            {
                context.Response.Headers[BindingHeaderNames.Plaintext] = _plaintext;
            }

            state?.Created(response.BindingId, principal);
            metrics.BindingCreated();
            BindingServerLog.BindRecorded(logger, response.BindingId.ToString(), principal.ToString(), connectionId);
        }
        catch (ChannelBindingException e)
        {
            // Protocol refusals from the exchange are already logged (3601) and counted there; header and transport ones here.
            if (e.Reason is BindingFailureReason.Malformed or BindingFailureReason.UnknownField or BindingFailureReason.Oversized
                or BindingFailureReason.UnsupportedVersion || context.Features.Get<ISslStreamFeature>() is null)
            {
                BindingServerLog.BindRefused(logger, connectionId, e.Reason.ToToken(), e.Message);
            }

            context.Response.Headers[BindingHeaderNames.Error] = BindingHeaderCodec.Format(BindingMessage.Refusal(e.Reason));
            state?.Refused(e.Reason);
            metrics.BindingRefused(e.Reason);
        }
        catch (Exception e) when (e is IpsecException or ArgumentException)
        {
            // ChannelBindingStoreException (full, duplicate) or a record the store refused: no binding, the request goes on.
            BindingServerLog.BindStoreFailed(logger, connectionId, e);
        }
    }
}
