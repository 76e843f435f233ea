using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace CbbToolkit.Kestrel.Authentication;

/// <summary>The context of <see cref="IpsecAuthenticationEvents.OnChannelValidated"/>: the verified channel and the principal built from it.</summary>
public sealed class IpsecChannelValidatedContext : ResultContext<IpsecAuthenticationOptions>
{
    /// <summary>A context.</summary>
    public IpsecChannelValidatedContext(HttpContext context, AuthenticationScheme scheme, IpsecAuthenticationOptions options, IIpsecChannelFeature channel)
        : base(context, scheme, options) => Channel = channel ?? throw new ArgumentNullException(nameof(channel));

    /// <summary>The connection's verified IPsec channel.</summary>
    public IIpsecChannelFeature Channel { get; }
}
