using CbbToolkit.Kestrel.Authentication;
using Microsoft.AspNetCore.Authentication;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the IPsec authentication scheme: the principal of a verified IPsec channel's IKE peer.</summary>
public static class IpsecAuthenticationExtensions
{
    /// <summary>Adds the scheme <see cref="IpsecAuthenticationDefaults.AuthenticationScheme"/>.</summary>
    public static AuthenticationBuilder AddIpsec(this AuthenticationBuilder builder) =>
        builder.AddIpsec(IpsecAuthenticationDefaults.AuthenticationScheme, _ => { });

    /// <summary>Adds the scheme <see cref="IpsecAuthenticationDefaults.AuthenticationScheme"/> with options.</summary>
    public static AuthenticationBuilder AddIpsec(this AuthenticationBuilder builder, Action<IpsecAuthenticationOptions> configure) =>
        builder.AddIpsec(IpsecAuthenticationDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the IPsec scheme under <paramref name="authenticationScheme"/> with options.</summary>
    public static AuthenticationBuilder AddIpsec(this AuthenticationBuilder builder, string authenticationScheme, Action<IpsecAuthenticationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddScheme<IpsecAuthenticationOptions, IpsecAuthenticationHandler>(authenticationScheme, configure);
    }
}
