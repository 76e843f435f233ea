namespace CbbToolkit.Channels.Bindings;

/// <summary>
/// Why a binding exchange or a bound connection was refused. The values are stable: they travel in refusal messages
/// (docs/binding-protocol.md, "Errors") as one octet and in HTTP as the token in parentheses.
/// </summary>
public enum BindingFailureReason : byte
{
    /// <summary>A message or header does not parse, or a field has the wrong length or value (<c>malformed</c>).</summary>
    Malformed = 1,
    /// <summary>A message carries a field this version does not define (<c>unknown-field</c>).</summary>
    UnknownField = 2,
    /// <summary>A message or header is larger than the protocol allows (<c>oversized</c>).</summary>
    Oversized = 3,
    /// <summary>The peer speaks a version this side does not support (<c>unsupported-version</c>); never negotiated down.</summary>
    UnsupportedVersion = 4,
    /// <summary>Policy requires binding and the peer sent none (<c>binding-required</c>).</summary>
    BindingRequired = 5,
    /// <summary>The TLS exporter is undefined for this session: TLS 1.2 without extended master secret (<c>exporter-unavailable</c>).</summary>
    ExporterUnavailable = 6,
    /// <summary>The connection's IPsec channel is not verified now, or has no ipsec-sa-binding (<c>channel-not-verified</c>).</summary>
    ChannelNotVerified = 7,
    /// <summary>The two ends cover different IPsec binding values (one has ipsec-end-point-sha256, the other not) (<c>binding-types-differ</c>).</summary>
    BindingTypesDiffer = 8,
    /// <summary>The peer's proof does not verify: a man in the middle at the IPsec layer, a replay, or a reflection (<c>proof-mismatch</c>).</summary>
    ProofMismatch = 9,
    /// <summary>No binding with that id is known here (<c>unknown-binding</c>).</summary>
    UnknownBinding = 10,
    /// <summary>The binding has expired (<c>expired</c>).</summary>
    Expired = 11,
    /// <summary>The connection's IPsec peer identity is not the one the binding recorded (<c>identity-changed</c>).</summary>
    IdentityChanged = 12,
    /// <summary>The proof answers no challenge outstanding on this connection (<c>stale-challenge</c>).</summary>
    StaleChallenge = 13,
    /// <summary>The message arrived where the protocol does not allow it (<c>unexpected-message</c>).</summary>
    UnexpectedMessage = 14,
    /// <summary>The peer refused; <see cref="ChannelBindingException.PeerReason"/> says why (<c>peer-refused</c>; never sent).</summary>
    PeerRefused = 15,
}
