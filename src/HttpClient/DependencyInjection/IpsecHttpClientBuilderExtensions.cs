using CbbToolkit.Http;
using CbbToolkit.Http.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the IPsec channel handler to an HttpClient from IHttpClientFactory.</summary>
public static class IpsecHttpClientBuilderExtensions
{
    /// <summary>
    /// Configures the client's primary SocketsHttpHandler as the IPsec channel handler: <c>services.AddHttpClient("api")
    /// .AddIpsecChannel(o => o.Requirement = IpsecChannelRequirement.RequireProtected)</c>. The options are named after
    /// the client and validated on first use. It also adds the <see cref="IpsecChannelHandler"/> to the client's pipeline
    /// (it records each request's <see cref="IpsecExchangeInfo"/> and, with <c>UseBinding</c>, binds).
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IHttpClientBuilder AddIpsecChannel(this IHttpClientBuilder builder, Action<IpsecChannelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var optionsBuilder = builder.Services.AddOptions<IpsecChannelOptions>(builder.Name);
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IpsecChannelOptions>, IpsecChannelOptionsValidator>());
        builder.Services.TryAddSingleton(sp => new IpsecHttpMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.AddHttpMessageHandler(sp => IpsecChannelHandlerFactory.CreateOuter(
            sp.GetRequiredService<IOptionsMonitor<IpsecChannelOptions>>().Get(builder.Name),
            sp.GetService<ILoggerFactory>()?.CreateLogger("CbbToolkit.Http.IpsecChannelHandler"),
            sp.GetRequiredService<IpsecHttpMetrics>(),
            inner: null));
        return builder.ConfigurePrimaryHttpMessageHandler((primary, sp) =>
        {
            if (primary is not SocketsHttpHandler sockets)
            {
                throw new InvalidOperationException(
                    $"AddIpsecChannel configures a SocketsHttpHandler, but the client '{builder.Name}' has a {primary.GetType().Name} as its primary handler.");
            }

            IpsecChannelHandlerFactory.Configure(sockets,
                sp.GetRequiredService<IOptionsMonitor<IpsecChannelOptions>>().Get(builder.Name),
                sp.GetService<ILoggerFactory>()?.CreateLogger("CbbToolkit.Http.IpsecChannelHandler"),
                sp.GetRequiredService<IpsecHttpMetrics>());
        });
    }
}
