using CbbToolkit.Kestrel.Authentication;
using Microsoft.AspNetCore.Authentication;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps an application's normal scheme and uses the IPsec or channel-binding scheme instead whenever the connection is verified.</summary>
public static class IpsecWhenVerifiedExtensions
{
    /// <summary>
    /// Adds the policy scheme <see cref="ChannelSchemeSelectorDefaults.AuthenticationScheme"/> and makes it the default:
    /// a request on a connection that proved a channel binding (or is proving one) is authenticated by the binding scheme;
    /// on a connection whose IPsec channel is verified with a trusted IKE peer, by the IPsec scheme; every other request by
    /// <paramref name="normalScheme"/> - never the other way round. Register the schemes themselves too
    /// (<c>AddIpsec()</c>, <c>AddChannelBinding()</c>, the normal one); one that is not registered is never chosen.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="normalScheme">The application's normal scheme, e.g. "Bearer", "Certificate", "Cookies".</param>
    /// <param name="configure">Other scheme names, when not the defaults.</param>
    public static AuthenticationBuilder AddIpsecWhenVerified(this AuthenticationBuilder builder, string normalScheme, Action<ChannelSchemeSelectorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(normalScheme);
        var options = new ChannelSchemeSelectorOptions { NormalScheme = normalScheme };
        configure?.Invoke(options);
        ArgumentException.ThrowIfNullOrEmpty(options.NormalScheme, nameof(configure));
        var selector = new ChannelSchemeSelector(options);
        builder.Services.Configure<AuthenticationOptions>(o => o.DefaultScheme = ChannelSchemeSelectorDefaults.AuthenticationScheme);
        return builder.AddPolicyScheme(ChannelSchemeSelectorDefaults.AuthenticationScheme, "IPsec when verified, else " + normalScheme,
            o => o.ForwardDefaultSelector = selector.Select);
    }
}
