namespace CbbToolkit.Channels.Bindings;

/// <summary>Which IPsec binding values a first-contact proof covers (one octet on the wire).</summary>
[Flags]
public enum IpsecBindingValues : byte
{
    /// <summary>None: never valid in a message (ipsec-sa-binding is always covered).</summary>
    None = 0,
    /// <summary>ipsec-sa-binding (channel attribute 34): always covered.</summary>
    SaBinding = 1,
    /// <summary>ipsec-end-point-sha256 (channel attribute 32): covered when the end has it.</summary>
    EndPointSha256 = 2,
}
