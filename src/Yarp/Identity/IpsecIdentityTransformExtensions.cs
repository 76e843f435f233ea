using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace CbbToolkit.Yarp.Identity;

/// <summary>The code forms of the <c>IpsecIdentity</c> transform.</summary>
public static class IpsecIdentityTransformExtensions
{
    /// <summary>A copy of <paramref name="route"/> with the transform added, as the config form would add it.</summary>
    /// <param name="route">The route.</param>
    /// <param name="mode">The mode.</param>
    /// <returns>The new route config.</returns>
    public static RouteConfig WithTransformIpsecIdentity(this RouteConfig route, IpsecIdentityMode mode = IpsecIdentityMode.Set)
    {
        ArgumentNullException.ThrowIfNull(route);
        return route.WithTransform(t => t[IpsecIdentityTransformFactory.Key] = mode.ToString());
    }

    /// <summary>Adds the transform in an <c>AddTransforms</c> callback.</summary>
    /// <param name="context">The route's transform builder context.</param>
    /// <param name="mode">The mode.</param>
    /// <returns>The context.</returns>
    public static TransformBuilderContext AddIpsecIdentity(this TransformBuilderContext context, IpsecIdentityMode mode = IpsecIdentityMode.Set)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not an IpsecIdentityMode.");
        }

        var options = context.Services.GetRequiredService<IOptions<IpsecProxyOptions>>().Value;
        context.RequestTransforms.Add(new IpsecIdentityTransform(mode, [.. options.TrustedUpstreamProxies]));
        return context;
    }
}
