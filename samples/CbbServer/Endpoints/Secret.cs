using CbbToolkit.Kestrel.Binding;
using Microsoft.AspNetCore.Http.Features;

namespace CbbServer.Endpoints;

/// <summary>GET /secret: for authenticated callers only.</summary>
public static class Secret
{
    /// <summary>
    /// 401 unless a scheme authenticated the request. Decided here rather than by a challenge: the Certificate and IPsec
    /// schemes challenge with 403 (a TLS connection cannot be asked for a certificate again), and an unauthenticated caller
    /// is not forbidden, only unknown.
    /// </summary>
    public static IResult Handle(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.Identity is { IsAuthenticated: true, Name: var name })
        {
            return Results.Json(new { secret = "the plans", name });
        }

        // On plaintext the binding scheme's challenge is the 401 (with a fresh CBB-Challenge for a client that has a binding).
        return context.Features.Get<ITlsConnectionFeature>() is null
            ? Results.Challenge(authenticationSchemes: [ChannelBindingDefaults.AuthenticationScheme])
            : Results.Unauthorized();
    }
}
