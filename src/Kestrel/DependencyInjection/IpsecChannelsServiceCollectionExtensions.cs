using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Kestrel;
using CbbToolkit.Kestrel.Connections;
using CbbToolkit.Kestrel.Hosting;
using CbbToolkit.Kestrel.Listener;
using CbbToolkit.Kestrel.Verification;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what <c>listenOptions.UseIpsecChannel()</c> needs, once per process.</summary>
public static class IpsecChannelsServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="XfrmStateCache"/>, <see cref="IpsecChannelResolver"/>, VICI peer source
    /// (<see cref="ViciPeerSource"/>) and latch database per process, composed from <c>AddViciPeerSource</c>,
    /// <c>AddIpsecChannelResolver</c> and <c>AddIpsecLatchDatabase</c>, and a hosted service that starts them before Kestrel
    /// accepts and stops them with the host. <see cref="IpsecChannelsOptions"/> (and the options of those services) are
    /// validated at start-up; start-up fails with a message naming CAP_NET_ADMIN when the kernel cannot be read. Also
    /// hooks Kestrel's socket transport so that <c>UseIpsecListenerPolicy</c> can set listen sockets' policies.
    /// Calling it again only adds <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets <see cref="IpsecChannelsOptions"/> in code (after configuration binding); none when null.</param>
    public static IServiceCollection AddIpsecChannels(this IServiceCollection services, Action<IpsecChannelsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<IpsecChannelsOptions>().ValidateOnStart();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IpsecChannelsOptions>, IpsecChannelsOptionsValidator>());
        if (services.Any(d => d.ServiceType == typeof(IpsecChannelServices)))
        {
            return services;
        }

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IpsecChannelServices>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IpsecChannelServices>().Cache);
        services.AddViciPeerSource();
        services.AddIpsecChannelResolver();
        services.AddIpsecLatchDatabase();
        services.AddOptions<CbbToolkit.Ipsec.Vici.ViciClientOptions>().ValidateOnStart();
        services.AddOptions<IpsecChannelResolverOptions>().ValidateOnStart();
        services.AddOptions<CbbToolkit.Ipsec.Latching.IpsecLatchDatabaseOptions>().ValidateOnStart();
        services.TryAddSingleton<IpsecChannelMetrics>();
        services.TryAddSingleton<IpsecChannelVerifier>();
        services.TryAddSingleton<IpsecConnectionRegistry>();
        services.TryAddSingleton<IpsecListenerPolicies>();
        services.AddHostedService<IpsecChannelsHostedService>();
        services.AddSingleton<IPostConfigureOptions<SocketTransportOptions>, ListenSocketPolicySetup>();
        return services;
    }
}
