namespace CbbToolkit.Kestrel;

/// <summary>
/// Whether a connection's IPsec channel is verified, and if not, which part of "verified" failed
/// (docs/kestrel.md: protected by a live SA pair, a trusted peer, latched).
/// </summary>
public enum IpsecChannelStatus
{
    /// <summary>Protected by a live SA pair in both directions, with a trusted peer, and latched.</summary>
    Verified = 0,

    /// <summary>The endpoint's mode is <see cref="IpsecChannelMode.Disabled"/>: nothing was checked.</summary>
    NotChecked = 1,

    /// <summary>No SA pair protects the connection's 5-tuple (see the resolution's reason).</summary>
    NotProtected = 2,

    /// <summary>An SA pair protects it, but the peer's identity could not be learned (IKE daemon unreachable, lookup error).</summary>
    PeerUnknown = 3,

    /// <summary>
    /// Protected and latched, but IKE did not authenticate the peer with a credential this endpoint trusts (e.g. NULL
    /// authentication). On an endpoint that accepts channel bindings such a connection stays open so that it can prove a
    /// binding (docs/binding-protocol.md section 9.3): a proven binding makes it verified (see
    /// <see cref="IChannelBindingFeature"/>); until then nothing authenticates it.
    /// </summary>
    PeerNotTrusted = 4,

    /// <summary>The connection could not be latched, or its latch is BROKEN or CLOSED.</summary>
    NotLatched = 5,

    /// <summary>The check itself failed (kernel read error, missing privilege); fail closed.</summary>
    Error = 6,
}
