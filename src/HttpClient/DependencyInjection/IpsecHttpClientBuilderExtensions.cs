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
    /// Makes the client's primary handler the IPsec channel handler: <c>services.AddHttpClient("api").AddIpsecChannel(o =>
    /// o.Requirement = IpsecChannelRequirement.RequireProtected)</c>. The options are named after the client.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="configureSockets">Tunes the inner SocketsHttpHandlers (their ConnectCallback stays the handler's).</param>
    /// <returns>The builder.</returns>
    public static IHttpClientBuilder AddIpsecChannel(this IHttpClientBuilder builder, Action<IpsecChannelOptions>? configure = null,
        Action<SocketsHttpHandler>? configureSockets = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var optionsBuilder = builder.Services.AddOptions<IpsecChannelOptions>(builder.Name);
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IpsecChannelOptions>, IpsecChannelOptionsValidator>());
        builder.Services.TryAddSingleton(sp => new IpsecHttpMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        return builder.ConfigurePrimaryHttpMessageHandler(sp => IpsecChannelHandlerFactory.Create(
            sp.GetRequiredService<IOptionsMonitor<IpsecChannelOptions>>().Get(builder.Name),
            sp.GetService<ILoggerFactory>()?.CreateLogger("CbbToolkit.Http.IpsecChannelHandler"),
            sp.GetRequiredService<IpsecHttpMetrics>(),
            configureSockets));
    }
}
