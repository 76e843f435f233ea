namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>What a matching policy does with traffic.</summary>
public enum XfrmPolicyAction : byte
{
    /// <summary>Allow, applying the templates (none means plain bypass).</summary>
    Allow = 0,
    /// <summary>Drop.</summary>
    Block = 1,
}
