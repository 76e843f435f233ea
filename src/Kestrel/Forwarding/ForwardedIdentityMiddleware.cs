using CbbToolkit.Kestrel.Verification;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Kestrel.Forwarding;

/// <summary>
/// The backend's side of identity forwarding: a request keeps its identity headers only when its connection is a
/// verified IPsec channel (now: the latch is read per request) whose IKE peer is a known proxy; from anyone else they
/// are removed before the app sees them. Nothing is decided by address.
/// </summary>
internal sealed class ForwardedIdentityMiddleware(RequestDelegate next, IOptions<ForwardedIdentityOptions> options, ILogger<ForwardedIdentityMiddleware> logger)
{
    private readonly ForwardedIdentityOptions _options = options.Value;

    public Task InvokeAsync(HttpContext context)
    {
        var channel = context.Features.Get<IIpsecChannelFeature>();
        if (channel is { IsVerified: true, Peer.RemoteId: { Length: > 0 } id } && _options.KnownProxies.Any(p => PeerIdPattern.Matches(p, id)))
        {
            context.Features.Set<IForwardedIdentityFeature>(new ForwardedIdentityFeature(id));
            ForwardedIdentityLog.Accepted(logger, id);
            return next(context);
        }

        foreach (var header in _options.Headers)
        {
            if (context.Request.Headers.Remove(header))
            {
                ForwardedIdentityLog.Stripped(logger, header, channel?.Peer?.RemoteId, channel is null ? "none" : channel.Status.ToString());
            }
        }

        return next(context);
    }
}
