using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Kestrel.Authentication;

/// <summary>
/// Authenticates a request as the IKE peer of its connection's verified IPsec channel. Nothing in the request is read:
/// the identity comes from <see cref="IIpsecChannelFeature"/>, which the connection middleware set from live SA state.
/// </summary>
internal sealed class IpsecAuthenticationHandler(IOptionsMonitor<IpsecAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<IpsecAuthenticationOptions>(options, logger, encoder)
{
    private new IpsecAuthenticationEvents Events => (IpsecAuthenticationEvents)base.Events!;

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new IpsecAuthenticationEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var channel = Context.Features.Get<IIpsecChannelFeature>();
        if (channel is null)
        {
            AuthenticationLog.NoChannel(Logger, Scheme.Name);
            return AuthenticateResult.NoResult();
        }

        // Read now, not when the connection was accepted: a broken latch turns this false at once.
        if (!channel.IsVerified || channel.Peer is not { } peer)
        {
            AuthenticationLog.NotVerified(Logger, Scheme.Name, channel.Status, channel.Reason);
            return AuthenticateResult.NoResult();
        }

        try
        {
            if (!Options.AllowedAuthenticationMethods.Contains(peer.AuthenticationMethod))
            {
                AuthenticationLog.MethodNotAllowed(Logger, peer.RemoteId, peer.AuthenticationMethod.ToString(), Scheme.Name);
                return AuthenticateResult.Fail($"The IPsec peer was authenticated by {peer.AuthenticationMethod}, which this scheme does not allow.");
            }

            var validated = new IpsecChannelValidatedContext(Context, Scheme, Options, channel)
            {
                Principal = IpsecPrincipalFactory.Create(peer, channel.ChannelInfo, Scheme.Name, ClaimsIssuer),
            };
            await Events.ChannelValidated(validated).ConfigureAwait(false);
            if (validated.Result is { } result)
            {
                if (result.Failure is { } failure)
                {
                    AuthenticationLog.RefusedByEvent(Logger, peer.RemoteId, failure.Message);
                }

                return result;
            }

            if (validated.Principal is null)
            {
                AuthenticationLog.RefusedByEvent(Logger, peer.RemoteId, "the principal was set to null");
                return AuthenticateResult.Fail("OnChannelValidated removed the principal.");
            }

            validated.Success();
            AuthenticationLog.Authenticated(Logger, peer.RemoteId, peer.AuthenticationMethod.ToString(), Scheme.Name);
            return validated.Result!;
        }
        catch (Exception e)
        {
            var failed = new IpsecAuthenticationFailedContext(Context, Scheme, Options, e);
            await Events.AuthenticationFailed(failed).ConfigureAwait(false);
            if (failed.Result is not null)
            {
                return failed.Result;
            }

            throw;
        }
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var challenge = new IpsecChallengeContext(Context, Scheme, Options, properties);
        await Events.Challenge(challenge).ConfigureAwait(false);
        if (!challenge.Handled)
        {
            // Like a client certificate, an IPsec channel cannot be asked for over HTTP on this connection.
            Response.StatusCode = 403;
        }
    }
}
