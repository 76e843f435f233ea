using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace CbbToolkit.Kestrel.Authentication;

/// <summary>The context of <see cref="IpsecAuthenticationEvents.OnChallenge"/>.</summary>
public sealed class IpsecChallengeContext : PropertiesContext<IpsecAuthenticationOptions>
{
    /// <summary>A context.</summary>
    public IpsecChallengeContext(HttpContext context, AuthenticationScheme scheme, IpsecAuthenticationOptions options, AuthenticationProperties? properties)
        : base(context, scheme, options, properties)
    {
    }

    /// <summary>Whether the handler skips its own challenge response.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the handler's challenge response: the event wrote one.</summary>
    public void HandleResponse() => Handled = true;
}
