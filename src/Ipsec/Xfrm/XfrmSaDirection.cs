namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>XFRMA_SA_DIR: the direction an SA is restricted to (Linux 6.10 and later).</summary>
public enum XfrmSaDirection : byte
{
    /// <summary>Inbound only.</summary>
    In = 1,
    /// <summary>Outbound only.</summary>
    Out = 2,
}
