using CbbToolkit.Ipsec;
using Microsoft.AspNetCore.Authentication;

namespace CbbToolkit.Kestrel.Authentication;

/// <summary>
/// Options of the IPsec authentication scheme: which IKE authentication methods make a verified channel's peer a
/// principal, and the events that map or refuse it. Validated once, when the scheme is first used.
/// </summary>
public sealed class IpsecAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The IKE authentication methods a peer may have been authenticated with; every authenticating one by default
    /// (never NULL, BTNS or none: those name nobody).</summary>
    public ISet<IpsecAuthenticationMethod> AllowedAuthenticationMethods { get; } = new HashSet<IpsecAuthenticationMethod>
    {
        IpsecAuthenticationMethod.PkixTrusted,
        IpsecAuthenticationMethod.PkixInline,
        IpsecAuthenticationMethod.PkixOffline,
        IpsecAuthenticationMethod.RawPublicKey,
        IpsecAuthenticationMethod.PresharedKey,
        IpsecAuthenticationMethod.Eap,
        IpsecAuthenticationMethod.Xauth,
        IpsecAuthenticationMethod.GroupKey,
        IpsecAuthenticationMethod.LeapOfFaith,
    };

    /// <summary>The events; <see cref="IpsecAuthenticationEvents.OnChannelValidated"/> maps the principal or refuses it.</summary>
    public new IpsecAuthenticationEvents Events
    {
        get => (IpsecAuthenticationEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>An options object.</summary>
    public IpsecAuthenticationOptions() => Events = new IpsecAuthenticationEvents();

    /// <summary>Checks the options (called by the authentication system once per scheme).</summary>
    /// <exception cref="InvalidOperationException">No method is allowed, or one that authenticates nobody is.</exception>
    public override void Validate(string scheme)
    {
        base.Validate(scheme);
        if (AllowedAuthenticationMethods.Count == 0)
        {
            throw new InvalidOperationException($"Authentication scheme '{scheme}': AllowedAuthenticationMethods is empty, so no IPsec peer could ever authenticate.");
        }

        foreach (var method in AllowedAuthenticationMethods)
        {
            if (method is IpsecAuthenticationMethod.None or IpsecAuthenticationMethod.Null or IpsecAuthenticationMethod.Btns || !Enum.IsDefined(method))
            {
                throw new InvalidOperationException(
                    $"Authentication scheme '{scheme}': {method} does not authenticate a peer and cannot be allowed; such a channel is verified only by a channel binding (AddChannelBinding).");
            }
        }
    }
}
