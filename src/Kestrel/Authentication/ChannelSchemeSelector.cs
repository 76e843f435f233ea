using CbbToolkit.Channels.Bindings.Http;
using CbbToolkit.Kestrel.Binding;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CbbToolkit.Kestrel.Authentication;

/// <summary>
/// Picks the scheme of a request: the channel's scheme when the connection is verified (or proving a binding), the
/// application's normal scheme otherwise - never the channel's scheme for a connection it cannot authenticate.
/// </summary>
internal sealed class ChannelSchemeSelector(ChannelSchemeSelectorOptions options)
{
    private (bool Ipsec, bool Binding)? _registered;

    public string Select(HttpContext context)
    {
        var (hasIpsec, hasBinding) = _registered ??= Registered(context);
        var channel = context.Features.Get<IIpsecChannelFeature>();
        if (hasBinding)
        {
            // A proven binding carries the application's own principal: it wins over the IKE identity.
            if (ChannelBindingConnectionState.Find(context) is { State: ChannelBindingState.Used })
            {
                return options.ChannelBindingScheme;
            }

            // A proof is answered by the binding scheme even on a channel that cannot carry it: it refuses with
            // channel-not-verified (421, "use the TLS endpoint") and authenticates nobody.
            if (context.Request.Headers.ContainsKey(BindingHeaderNames.Resume))
            {
                return options.ChannelBindingScheme;
            }
        }

        if (hasIpsec && channel is { IsVerified: true })
        {
            return options.IpsecScheme;
        }

        // A plaintext connection over an IPsec channel IKE did not authenticate can only become verified by a binding;
        // unless the client sent the application's own credentials, challenge it for one.
        if (hasBinding && channel is { Status: IpsecChannelStatus.PeerNotTrusted }
            && context.Features.Get<ISslStreamFeature>() is null
            && !context.Request.Headers.ContainsKey(HeaderNames.Authorization))
        {
            return options.ChannelBindingScheme;
        }

        return options.NormalScheme;
    }

    private (bool, bool) Registered(HttpContext context)
    {
        var schemes = context.RequestServices.GetRequiredService<IOptions<AuthenticationOptions>>().Value.SchemeMap;
        return (schemes.ContainsKey(options.IpsecScheme), schemes.ContainsKey(options.ChannelBindingScheme));
    }
}
