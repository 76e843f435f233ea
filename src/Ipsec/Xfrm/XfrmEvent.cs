namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>Something the kernel announced on an XFRM multicast group. Match on the derived types.</summary>
public abstract record XfrmEvent;
