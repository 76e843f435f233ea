namespace CbbToolkit.Ipsec.Resolution;

/// <summary>Why the resolver found no IPsec channel for a flow (apireq section 9: the causes an application must tell apart).</summary>
public enum IpsecNotProtectedReason
{
    /// <summary>The flow is protected.</summary>
    None = 0,
    /// <summary>No policy covers the flow in one direction: it travels in clear.</summary>
    NoPolicy,
    /// <summary>The policy that covers the flow lets it pass in clear (allow without templates, or an optional transform).</summary>
    ClearTextAllowed,
    /// <summary>A block policy covers the flow: the kernel drops it.</summary>
    Blocked,
    /// <summary>A policy requires IPsec but the kernel holds no SA for it (yet): key management set none up.</summary>
    PolicyWithoutSa,
    /// <summary>Several policies or SAs could apply and the resolver cannot tell which one the kernel uses: fail closed.</summary>
    Ambiguous,
    /// <summary>Reading the kernel's SPD and SAD needs CAP_NET_ADMIN in the network namespace.</summary>
    NoPrivilege,
    /// <summary>The kernel could not be read (no XFRM support, an error, or the cache is re-reading after lost events).</summary>
    BackendError,
    /// <summary>The peer identity was required and the IKE daemon could not be reached.</summary>
    KeyManagerUnreachable,
    /// <summary>The peer identity was required and the IKE daemon does not know the SA (manual keying, or it went away).</summary>
    PeerUnknown,
}
