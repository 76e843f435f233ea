using CbbToolkit.Kestrel.Authorization;

namespace Microsoft.AspNetCore.Authorization;

/// <summary>IPsec channel requirements on an authorization policy.</summary>
public static class IpsecAuthorizationPolicyBuilderExtensions
{
    /// <summary>Requires a verified IPsec channel now (ESP by default; see <see cref="IpsecChannelRequirement"/>).</summary>
    public static AuthorizationPolicyBuilder RequireIpsecChannel(this AuthorizationPolicyBuilder builder, Action<IpsecChannelRequirement>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var requirement = new IpsecChannelRequirement();
        configure?.Invoke(requirement);
        return builder.AddRequirements(requirement);
    }

    /// <summary>Requires a connection that proved a channel binding and is still latched.</summary>
    public static AuthorizationPolicyBuilder RequireChannelBinding(this AuthorizationPolicyBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddRequirements(new ChannelBindingRequirement());
    }
}
