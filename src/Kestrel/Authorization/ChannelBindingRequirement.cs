using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace CbbToolkit.Kestrel.Authorization;

/// <summary>
/// Requires the request's connection to have proven a channel binding (<see cref="IChannelBindingFeature.State"/> is
/// Used) on an IPsec channel that is latched now. Its own handler; the resource must be the <see cref="HttpContext"/>.
/// </summary>
public sealed class ChannelBindingRequirement : AuthorizationHandler<ChannelBindingRequirement>, IAuthorizationRequirement
{
    /// <inheritdoc/>
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ChannelBindingRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Resource is HttpContext http && ChannelTrust.IsBoundNow(http, http.Features.Get<IIpsecChannelFeature>()))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, "The connection has not proven a channel binding, or its IPsec channel is no longer latched."));
        }

        return Task.CompletedTask;
    }
}
