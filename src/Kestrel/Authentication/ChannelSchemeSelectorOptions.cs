using CbbToolkit.Kestrel.Binding;

namespace CbbToolkit.Kestrel.Authentication;

/// <summary>
/// The schemes the selector of <c>AddIpsecWhenVerified</c> chooses between. A scheme name that is not registered is
/// never chosen.
/// </summary>
public sealed class ChannelSchemeSelectorOptions
{
    /// <summary>The application's normal scheme (JwtBearer, Certificate, Cookies...): used whenever the connection is not verified.</summary>
    public string NormalScheme { get; set; } = "";

    /// <summary>The IPsec scheme, used when the connection's channel is verified with a trusted IKE peer.</summary>
    public string IpsecScheme { get; set; } = IpsecAuthenticationDefaults.AuthenticationScheme;

    /// <summary>The channel-binding scheme, used on a connection that proved a binding or is proving one.</summary>
    public string ChannelBindingScheme { get; set; } = ChannelBindingDefaults.AuthenticationScheme;
}
