namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>XFRM_POLICY_TYPE_*: the main SPD or the sub-policy table.</summary>
public enum XfrmPolicyType : byte
{
    /// <summary>The main security policy database.</summary>
    Main = 0,
    /// <summary>The sub-policy table (CONFIG_XFRM_SUB_POLICY).</summary>
    Sub = 1,
}
