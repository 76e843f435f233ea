namespace CbbToolkit.Kestrel.Authentication;

/// <summary>Default values of the IPsec authentication scheme.</summary>
public static class IpsecAuthenticationDefaults
{
    /// <summary>The default scheme name: "Ipsec".</summary>
    public const string AuthenticationScheme = "Ipsec";
}
