namespace CbbToolkit.Ipsec;

/// <summary>
/// How IKE authenticated a peer: the iToken authenticationMethod of draft-ietf-btns-abstract-api-01,
/// with NULL (RFC 7619) and raw public keys (RFC 7670) added.
/// </summary>
public enum IpsecAuthenticationMethod : byte
{
    /// <summary>No authentication information is available.</summary>
    None = 0,
    /// <summary>Unauthenticated BTNS: any public key accepted.</summary>
    Btns = 1,
    /// <summary>A key pinned at first contact (leap of faith).</summary>
    LeapOfFaith = 2,
    /// <summary>A pre-shared key.</summary>
    PresharedKey = 3,
    /// <summary>A group key.</summary>
    GroupKey = 4,
    /// <summary>XAUTH.</summary>
    Xauth = 5,
    /// <summary>EAP.</summary>
    Eap = 6,
    /// <summary>A certificate chained to a trusted anchor.</summary>
    PkixTrusted = 7,
    /// <summary>A certificate sent in-band and not chained to a configured anchor.</summary>
    PkixInline = 8,
    /// <summary>A certificate obtained out of band.</summary>
    PkixOffline = 9,
    /// <summary>NULL authentication (RFC 7619).</summary>
    Null = 10,
    /// <summary>A configured raw public key (RFC 7670, or strongSwan's pubkey authentication).</summary>
    RawPublicKey = 11,
}
