namespace CbbToolkit.Ipsec.Policies;

/// <summary>Policy types of the draft's Table 1.</summary>
public enum IpsecPolicyType : uint
{
    /// <summary>IPSEC_DEFAULT_POLICY: start from the system defaults.</summary>
    Default = 0,
}
