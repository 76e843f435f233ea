namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>What happened to an SA or a policy.</summary>
public enum XfrmChange
{
    /// <summary>Added (NEWSA / NEWPOLICY).</summary>
    Added,
    /// <summary>Replaced in place (UPDSA / UPDPOLICY).</summary>
    Updated,
    /// <summary>Deleted (DELSA / DELPOLICY).</summary>
    Deleted,
}
