namespace CbbToolkit.Kestrel.Binding;

/// <summary>Default values of the channel-binding authentication scheme.</summary>
public static class ChannelBindingDefaults
{
    /// <summary>The default scheme name: "ChannelBinding".</summary>
    public const string AuthenticationScheme = "ChannelBinding";
}
