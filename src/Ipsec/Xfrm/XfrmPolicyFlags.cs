namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>xfrm_userpolicy_info.flags.</summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Named after the kernel's flags field.")]
public enum XfrmPolicyFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>XFRM_POLICY_LOCALOK: a socket may override this policy.</summary>
    LocalOk = 1,
    /// <summary>XFRM_POLICY_ICMP: the selector also matches related ICMP errors.</summary>
    Icmp = 2,
    /// <summary>XFRM_POLICY_CPU_ACQUIRE: per-CPU SAs are acquired.</summary>
    CpuAcquire = 4,
}
