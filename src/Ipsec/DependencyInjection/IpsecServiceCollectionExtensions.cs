using System.Diagnostics.CodeAnalysis;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Vici;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the IPsec services as singletons, each with its options and validator: bind the options from configuration
/// (<c>services.Configure&lt;ViciClientOptions&gt;(configuration.GetSection("Vici"))</c>) or set them in the
/// <c>configure</c> callbacks. A bad setting fails with <see cref="OptionsValidationException"/> when the service is
/// first resolved. Services already registered are kept (TryAdd).
/// </summary>
public static class IpsecServiceCollectionExtensions
{
    /// <summary>Registers a <see cref="ViciClient"/> configured by <see cref="ViciClientOptions"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options in code (after configuration binding); none when null.</param>
    public static IServiceCollection AddViciClient(this IServiceCollection services, Action<ViciClientOptions>? configure = null)
    {
        AddValidatedOptions<ViciClientOptions, ViciClientOptionsValidator>(services, configure);
        services.TryAddSingleton(sp => new ViciClient(
            sp.GetRequiredService<IOptions<ViciClientOptions>>(), sp.GetService<ILogger<ViciClient>>(), sp.GetService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Registers a <see cref="ViciPeerSource"/> over the registered <see cref="ViciClient"/> (added with
    /// <see cref="AddViciClient"/> when missing), also as the <see cref="IIpsecPeerSource"/> of the resolver. It
    /// subscribes to charon's events on the first lookup, or earlier with <see cref="ViciPeerSource.StartAsync"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configureClient">Sets the VICI client's options in code; none when null.</param>
    public static IServiceCollection AddViciPeerSource(this IServiceCollection services, Action<ViciClientOptions>? configureClient = null)
    {
        services.AddViciClient(configureClient);
        services.TryAddSingleton(sp => new ViciPeerSource(
            sp.GetRequiredService<ViciClient>(), ownsClient: false, sp.GetService<ILogger<ViciPeerSource>>(), sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IIpsecPeerSource>(sp => sp.GetRequiredService<ViciPeerSource>());
        return services;
    }

    /// <summary>
    /// Registers an <see cref="IpsecChannelResolver"/> configured by <see cref="IpsecChannelResolverOptions"/>. It reads
    /// the <see cref="XfrmStateCache"/> the application registers (the cache starts asynchronously:
    /// <c>services.AddSingleton(await XfrmStateCache.StartAsync())</c>) and asks the registered
    /// <see cref="IIpsecPeerSource"/>, if any (<see cref="AddViciPeerSource"/>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options in code (after configuration binding); none when null.</param>
    public static IServiceCollection AddIpsecChannelResolver(this IServiceCollection services, Action<IpsecChannelResolverOptions>? configure = null)
    {
        AddValidatedOptions<IpsecChannelResolverOptions, IpsecChannelResolverOptionsValidator>(services, configure);
        services.TryAddSingleton(sp => new IpsecChannelResolver(
            sp.GetRequiredService<XfrmStateCache>(), sp.GetService<IIpsecPeerSource>(), sp.GetRequiredService<IOptions<IpsecChannelResolverOptions>>(),
            sp.GetService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Registers an <see cref="IpsecLatchDatabase"/> configured by <see cref="IpsecLatchDatabaseOptions"/> over the
    /// registered <see cref="IpsecChannelResolver"/> (added with <see cref="AddIpsecChannelResolver"/> when missing).
    /// It follows the cache from its first latch, or earlier with <see cref="IpsecLatchDatabase.StartAsync"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options in code (after configuration binding); none when null.</param>
    public static IServiceCollection AddIpsecLatchDatabase(this IServiceCollection services, Action<IpsecLatchDatabaseOptions>? configure = null)
    {
        services.AddIpsecChannelResolver();
        AddValidatedOptions<IpsecLatchDatabaseOptions, IpsecLatchDatabaseOptionsValidator>(services, configure);
        services.TryAddSingleton(sp => new IpsecLatchDatabase(
            sp.GetRequiredService<IpsecChannelResolver>(), sp.GetRequiredService<IOptions<IpsecLatchDatabaseOptions>>(),
            sp.GetService<ILogger<IpsecLatchDatabase>>(), sp.GetService<TimeProvider>()));
        return services;
    }

    private static void AddValidatedOptions<TOptions, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(
        IServiceCollection services, Action<TOptions>? configure)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<TOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }
}
