using CbbToolkit.Yarp;
using CbbToolkit.Yarp.Clusters;
using CbbToolkit.Yarp.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Forwarder;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds IPsec channel binding to YARP (docs/yarp.md).</summary>
public static class IpsecReverseProxyBuilderExtensions
{
    /// <summary>
    /// <c>services.AddReverseProxy().LoadFromConfig(...).AddIpsecChannelBinding()</c>: every route removes the identity
    /// headers a client sent; the <c>IpsecIdentity</c> transform (config or code) sets the verified one; each cluster's
    /// <c>Cbb.*</c> metadata sets its outbound channel (requirement, binding, plaintext, pins). The proxy's own Kestrel
    /// endpoints are set up as any CbbToolkit server's (<c>AddIpsecChannels</c>, <c>UseIpsecChannel</c>; docs/kestrel.md).
    /// </summary>
    /// <param name="builder">The reverse proxy builder.</param>
    /// <param name="configure">Sets <see cref="IpsecProxyOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IReverseProxyBuilder AddIpsecChannelBinding(this IReverseProxyBuilder builder, Action<IpsecProxyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<IpsecProxyOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<Yarp.ReverseProxy.Transforms.Builder.ITransformFactory, IpsecIdentityTransformFactory>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<Yarp.ReverseProxy.Transforms.Builder.ITransformProvider, IdentitySanitizingTransformProvider>());
        builder.Services.Replace(ServiceDescriptor.Singleton<IForwarderHttpClientFactory, IpsecForwarderHttpClientFactory>());
        return builder;
    }
}
