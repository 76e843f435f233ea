namespace CbbToolkit.Channels.IpsecBindings;

/// <summary>Why an IPsec channel-binding value (ipsec-end-point-sha256, ipsec-sa-binding) is absent.</summary>
public enum IpsecBindingAbsence
{
    /// <summary>No IKE daemon named the peer of this SA pair (manually keyed, daemon unreachable, no peer source).</summary>
    NoPeer = 1,
    /// <summary>IKE did not authenticate both ends with public keys or certificates (PSK, EAP, NULL, ...).</summary>
    NotPublicKeyAuthentication = 2,
    /// <summary>The daemon holds no single public key for the peer.</summary>
    PeerKeyUnknown = 3,
    /// <summary>The daemon holds no single public key of ours for this IKE SA.</summary>
    LocalKeyUnknown = 4,
    /// <summary>Both ends use the same public key: the XOR would be all zeros, which binds nothing.</summary>
    SameKeyBothEnds = 5,
    /// <summary>Reading SA keys needs CAP_NET_ADMIN in the SA's network namespace (EPERM).</summary>
    NoPrivilege = 6,
    /// <summary>The kernel has no such SA (any more).</summary>
    NoSuchSa = 7,
    /// <summary>The kernel did not hand out the keys (no keyed algorithm, or all-zero keys as under kernel lockdown).</summary>
    KeysUnreadable = 8,
    /// <summary>The SA pair is not ESP or AH, or not a pair (both directions the same SA).</summary>
    Unsupported = 9,
    /// <summary>The SA the kernel returned is not the one resolved (it changed meanwhile); resolve again.</summary>
    Changed = 10,
    /// <summary>The kernel could not be asked, or answered with another error.</summary>
    KernelError = 11,
}
