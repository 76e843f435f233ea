namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>The IPsec protocol of an SA or template (an IP protocol number).</summary>
public enum XfrmProtocol : byte
{
    /// <summary>Encapsulating Security Payload (50).</summary>
    Esp = 50,
    /// <summary>Authentication Header (51).</summary>
    Ah = 51,
    /// <summary>IP payload compression (108).</summary>
    Comp = 108,
    /// <summary>IPSEC_PROTO_ANY: every IPsec protocol (flush only).</summary>
    Any = 255,
}
