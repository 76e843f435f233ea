namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>XFRM_MODE_*: how an SA encapsulates.</summary>
public enum XfrmMode : byte
{
    /// <summary>Transport mode: protects the payload of host-to-host traffic.</summary>
    Transport = 0,
    /// <summary>Tunnel mode: protects a whole inner IP packet.</summary>
    Tunnel = 1,
    /// <summary>Mobile IPv6 route optimisation.</summary>
    RouteOptimization = 2,
    /// <summary>Mobile IPv6 inbound trigger.</summary>
    InTrigger = 3,
    /// <summary>Bound end-to-end tunnel (RFC 7402).</summary>
    Beet = 4,
    /// <summary>IP traffic flow security (RFC 9347).</summary>
    IpTfs = 5,
}
