namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>xfrm_usersa_info.flags (XFRM_STATE_*).</summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Named after the kernel's flags field.")]
public enum XfrmStateFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>Do not propagate ECN.</summary>
    NoEcn = 1,
    /// <summary>Copy DSCP from the outer header on decapsulation.</summary>
    DecapDscp = 2,
    /// <summary>Do not set DF on the outer header.</summary>
    NoPmtuDiscovery = 4,
    /// <summary>Accept inbound packets from any source address.</summary>
    WildcardReceive = 8,
    /// <summary>Let related ICMP errors through.</summary>
    Icmp = 16,
    /// <summary>Keep the selector's address family unspecified.</summary>
    AddressFamilyUnspecified = 32,
    /// <summary>Align ESP to 4 octets (IPv6).</summary>
    Align4 = 64,
    /// <summary>Extended sequence numbers.</summary>
    Esn = 128,
}
