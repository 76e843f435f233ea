using System.Security.Claims;
using System.Text.Encodings.Web;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Http;
using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Kestrel.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CbbToolkit.Kestrel.Binding;

/// <summary>
/// The resume exchange over HTTP (docs/binding-protocol.md 9.3): a request without <c>CBB-Resume</c> is challenged with
/// 401, <c>WWW-Authenticate: CBB-IPsec</c> and a fresh <c>CBB-Challenge</c> kept with this connection only; a request
/// with <c>CBB-Resume</c> answering it is authenticated as the principal bound at first contact and gets
/// <c>CBB-Resume-Result</c>; from then on the connection stays authenticated as that principal for as long as its latch
/// is ESTABLISHED. A refusal gets <c>CBB-Error</c> and the status of section 7, and authenticates nobody.
/// </summary>
internal sealed class ChannelBindingAuthenticationHandler(
    IOptionsMonitor<ChannelBindingAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    BindingExchange exchange,
    IChannelBindingStore store,
    IpsecChannelMetrics metrics)
    : AuthenticationHandler<ChannelBindingAuthenticationOptions>(options, logger, encoder)
{
    private BindingFailureReason? _refusal;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var state = ChannelBindingConnectionState.Of(Context);
        if (state is null)
        {
            return AuthenticateResult.NoResult();
        }

        var channel = Context.Features.Get<IIpsecChannelFeature>();
        if (Request.Headers.TryGetValue(BindingHeaderNames.Resume, out var values))
        {
            return await ResumeAsync(state, channel, values).ConfigureAwait(false);
        }

        if (state.State != ChannelBindingState.Used || state.Principal is not { } principal || state.BindingId is not { } id)
        {
            return AuthenticateResult.NoResult();
        }

        // Proven once on this connection; it authenticates each later request only while the channel is latched now.
        if (!IsLatchedNow(channel))
        {
            BindingServerLog.BoundChannelLost(Logger, Context.Connection.Id, id.ToString(), channel?.Status.ToString() ?? "no channel");
            return AuthenticateResult.Fail("The bound connection's IPsec channel is no longer verified.");
        }

        return AuthenticateResult.Success(Ticket(principal, id));
    }

    private async Task<AuthenticateResult> ResumeAsync(ChannelBindingConnectionState state, IIpsecChannelFeature? channel, IReadOnlyList<string?> values)
    {
        // Taken before anything else: an answer uses the challenge up, whatever its outcome.
        var challenge = state.TakeChallenge();
        try
        {
            BindingMessage request;
            try
            {
                request = BindingHeaderCodec.Parse(BindingMessageType.ClientResume, values);
            }
            catch (ChannelBindingException e)
            {
                BindingServerLog.ResumeRefused(Logger, Context.Connection.Id, e.Reason.ToToken(), e.Message);
                throw;
            }

            if (ChannelViews.Flow(Context) is not { } flow)
            {
                BindingServerLog.ResumeRefused(Logger, Context.Connection.Id, "channel-not-verified", "The connection has no IP end points.");
                return Refused(state, BindingFailureReason.ChannelNotVerified, "The connection has no IP end points.");
            }

            var info = IsLatchedNow(channel) ? ChannelViews.CurrentChannelInfo(channel) : ChannelInfo.Empty;
            var lookup = await store.FindAsync(request.BindingId, Context.RequestAborted).ConfigureAwait(false);
            using var record = lookup.Record;
            BindingMessage response;
            try
            {
                // The exchange checks challenge, channel, binding, expiry, identity and proof in the protocol's order.
                response = exchange.VerifyClientResume(challenge, request, record, info, flow);
            }
            catch (ChannelBindingException e) when (e.Reason is BindingFailureReason.UnknownBinding && lookup.Status is not ChannelBindingLookupStatus.NotFound)
            {
                // The store knew the id: say why it has no live record. Expired has its own token (the client binds
                // again); a revoked binding stays unknown-binding on the wire, and the log says revoked.
                var reason = lookup.Status is ChannelBindingLookupStatus.Expired ? BindingFailureReason.Expired : BindingFailureReason.UnknownBinding;
                var detail = $"Binding {request.BindingId} was {(lookup.Status is ChannelBindingLookupStatus.Expired ? "expired" : "revoked")} in the store.";
                BindingServerLog.ResumeRefused(Logger, Context.Connection.Id, reason.ToToken(), detail);
                return Refused(state, reason, detail);
            }

            if (record!.Principal is not { } principal)
            {
                BindingServerLog.ResumeRefused(Logger, Context.Connection.Id, "unknown-binding", "The binding carries no principal.");
                return Refused(state, BindingFailureReason.UnknownBinding, "The binding carries no principal to authenticate as.");
            }

            state.Used(record.Id, principal);
            metrics.BindingUsed();
            Response.Headers[BindingHeaderNames.ResumeResult] = BindingHeaderCodec.Format(response);
            BindingServerLog.Resumed(Logger, Context.Connection.Id, record.Id.ToString(), principal.ToString());
            return AuthenticateResult.Success(Ticket(principal, record.Id));
        }
        catch (ChannelBindingException e)
        {
            return Refused(state, e.Reason, e.Message);
        }
        catch (ChannelBindingStoreException e)
        {
            // A stored entry that does not parse or authenticate: refused like an unknown binding.
            BindingServerLog.ResumeRefused(Logger, Context.Connection.Id, "unknown-binding", e.Message);
            return Refused(state, BindingFailureReason.UnknownBinding, e.Message);
        }
    }

    private AuthenticateResult Refused(ChannelBindingConnectionState state, BindingFailureReason reason, string message)
    {
        _refusal = reason;
        state.Refused(reason);
        metrics.BindingRefused(reason);
        Response.Headers[BindingHeaderNames.Error] = BindingHeaderCodec.Format(BindingMessage.Refusal(reason));
        return AuthenticateResult.Fail(message);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_refusal is { } reason && reason is not (BindingFailureReason.StaleChallenge or BindingFailureReason.BindingRequired))
        {
            Response.StatusCode = BindingHttpStatus.ForResumeRefusal(reason);
            return Task.CompletedTask;
        }

        var state = ChannelBindingConnectionState.Of(Context);
        if (state is null || !IsLatchedNow(Context.Features.Get<IIpsecChannelFeature>()))
        {
            // Nothing can be proven on this connection: use the TLS endpoint.
            Response.StatusCode = BindingHttpStatus.ForResumeRefusal(BindingFailureReason.ChannelNotVerified);
            Response.Headers[BindingHeaderNames.Error] = BindingHeaderCodec.Format(BindingMessage.Refusal(BindingFailureReason.ChannelNotVerified));
            return Task.CompletedTask;
        }

        var challenge = exchange.IssueChallenge();
        state.Issue(challenge);
        Response.StatusCode = 401;
        Response.Headers[HeaderNames.WWWAuthenticate] = BindingHeaderNames.AuthenticationScheme;
        Response.Headers[BindingHeaderNames.Challenge] = BindingHeaderCodec.Format(challenge.Message);
        BindingServerLog.ChallengeIssued(Logger, Context.Connection.Id);
        return Task.CompletedTask;
    }

    private static bool IsLatchedNow(IIpsecChannelFeature? channel) =>
        ChannelViews.CanCarryBinding(channel) && channel!.LatchState == IpsecLatchState.Established;

    private AuthenticationTicket Ticket(BoundPrincipal principal, BindingId id)
    {
        var claimsPrincipal = principal.ToClaimsPrincipal(Scheme.Name);
        ((ClaimsIdentity)claimsPrincipal.Identity!).AddClaim(new Claim(IpsecClaimTypes.BindingId, id.ToString(), ClaimValueTypes.String, ClaimsIssuer));
        return new AuthenticationTicket(claimsPrincipal, Scheme.Name);
    }
}
