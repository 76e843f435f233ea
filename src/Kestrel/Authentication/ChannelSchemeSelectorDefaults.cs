namespace CbbToolkit.Kestrel.Authentication;

/// <summary>Default values of the policy scheme <c>AddIpsecWhenVerified</c> adds.</summary>
public static class ChannelSchemeSelectorDefaults
{
    /// <summary>The policy scheme's name: "IpsecWhenVerified".</summary>
    public const string AuthenticationScheme = "IpsecWhenVerified";
}
