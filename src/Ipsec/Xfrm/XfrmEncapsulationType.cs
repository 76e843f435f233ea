namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>The encapsulation of ESP for NAT traversal (xfrm_encap_tmpl.encap_type).</summary>
public enum XfrmEncapsulationType : ushort
{
    /// <summary>UDP_ENCAP_ESPINUDP_NON_IKE (draft-ietf-ipsec-nat-t-ike-00/01).</summary>
    EspInUdpNonIke = 1,
    /// <summary>UDP_ENCAP_ESPINUDP (RFC 3948).</summary>
    EspInUdp = 2,
    /// <summary>TCP_ENCAP_ESPINTCP (RFC 8229).</summary>
    EspInTcp = 7,
}
