using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Kestrel;
using CbbToolkit.Kestrel.Binding;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the channel-binding scheme: a connection that proves a binding made at first contact over HTTPS is
/// authenticated as the principal bound to it. Pair it with <c>app.UseChannelBinding()</c> (the first-contact end).
/// </summary>
public static class ChannelBindingExtensions
{
    /// <summary>Adds the scheme <see cref="ChannelBindingDefaults.AuthenticationScheme"/>.</summary>
    public static AuthenticationBuilder AddChannelBinding(this AuthenticationBuilder builder) =>
        builder.AddChannelBinding(ChannelBindingDefaults.AuthenticationScheme, _ => { });

    /// <summary>Adds the scheme <see cref="ChannelBindingDefaults.AuthenticationScheme"/> with options.</summary>
    public static AuthenticationBuilder AddChannelBinding(this AuthenticationBuilder builder, Action<ChannelBindingAuthenticationOptions> configure) =>
        builder.AddChannelBinding(ChannelBindingDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the channel-binding scheme under <paramref name="authenticationScheme"/>, and the binding services
    /// (<see cref="AddChannelBindingServer"/>).</summary>
    public static AuthenticationBuilder AddChannelBinding(this AuthenticationBuilder builder, string authenticationScheme, Action<ChannelBindingAuthenticationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddChannelBindingServer();
        return builder.AddScheme<ChannelBindingAuthenticationOptions, ChannelBindingAuthenticationHandler>(authenticationScheme, configure);
    }

    /// <summary>
    /// The binding exchange's server services, each registered unless already there: <see cref="BindingExchange"/>
    /// (options <see cref="BindingExchangeOptions"/>), an <see cref="InMemoryChannelBindingStore"/> as
    /// <see cref="IChannelBindingStore"/> (register a <see cref="DistributedChannelBindingStore"/> first for a farm), and
    /// <see cref="ChannelBindingServerOptions"/>, validated at start-up.
    /// </summary>
    public static IServiceCollection AddChannelBindingServer(this IServiceCollection services, Action<ChannelBindingServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.AddOptions<BindingExchangeOptions>();
        services.AddOptions<ChannelBindingServerOptions>().ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChannelBindingServerOptions>, ChannelBindingServerOptionsValidator>());
        services.TryAddSingleton<IpsecChannelMetrics>();
        services.TryAddSingleton(sp => new BindingMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(sp => new BindingExchange(
            sp.GetRequiredService<IOptions<BindingExchangeOptions>>(),
            sp.GetService<ILogger<BindingExchange>>(),
            sp.GetService<TimeProvider>(),
            sp.GetRequiredService<BindingMetrics>()));
        services.TryAddSingleton<IChannelBindingStore>(sp => new InMemoryChannelBindingStore(
            sp.GetService<IOptions<InMemoryChannelBindingStoreOptions>>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<InMemoryChannelBindingStore>>()));
        return services;
    }
}
