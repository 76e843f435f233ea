using System.Net;

namespace CbbToolkit.Ipsec.Resolution;

/// <summary>
/// Who is on the other end of an IPsec channel, as the IKE daemon that negotiated it knows the peer. Never trusted
/// from anything but the daemon; a null <see cref="PublicKey"/> means the daemon holds no single key for this peer.
/// </summary>
public sealed class IpsecPeer
{
    /// <summary>
    /// The peer's IKE identity as the daemon prints it (an FQDN, an address, a DN...); empty when IKE named none
    /// (RFC 7619 ID_NULL): a source never fills in a placeholder for it.
    /// </summary>
    public required string RemoteId { get; init; }

    /// <summary>Our IKE identity in that IKE SA, when known.</summary>
    public string? LocalId { get; init; }

    /// <summary>How IKE authenticated the peer.</summary>
    public IpsecAuthenticationMethod AuthenticationMethod { get; init; }

    /// <summary>The peer's IKE address.</summary>
    public IPAddress? RemoteHost { get; init; }

    /// <summary>The daemon's unique id of the IKE SA.</summary>
    public uint? IkeSaUniqueId { get; init; }

    /// <summary>The daemon's unique id of the child SA.</summary>
    public uint? ChildSaUniqueId { get; init; }

    /// <summary>The peer's SubjectPublicKeyInfo (DER), when the daemon holds exactly one key for it.</summary>
    public ReadOnlyMemory<byte>? PublicKey { get; init; }

    /// <summary>The peer's certificate (DER), when the daemon has it configured for this peer.</summary>
    public ReadOnlyMemory<byte>? Certificate { get; init; }

    /// <summary>How we authenticated to the peer in that IKE SA.</summary>
    public IpsecAuthenticationMethod LocalAuthenticationMethod { get; init; }

    /// <summary>Our own SubjectPublicKeyInfo (DER) in that IKE SA, when the daemon holds exactly one key of ours for it.</summary>
    public ReadOnlyMemory<byte>? LocalPublicKey { get; init; }

    /// <summary>Whether we initiated the IKE SA; null when the source does not say.</summary>
    public bool? IsLocalInitiator { get; init; }

    /// <summary>Which source said so, e.g. "strongSwan VICI unix:///var/run/charon.vici".</summary>
    public string? Source { get; init; }

    /// <summary>Same peer for latching purposes: same IKE identity, local identity and public key (RFC 5660 congruence).</summary>
    public bool IsSamePeer(IpsecPeer? other) =>
        other is not null
        && string.Equals(RemoteId, other.RemoteId, StringComparison.Ordinal)
        && string.Equals(LocalId, other.LocalId, StringComparison.Ordinal)
        && SameBytes(PublicKey, other.PublicKey);

    /// <summary>"b.test (RawPublicKey)", or "(no IKE identity) (Null)".</summary>
    public override string ToString() => $"{(RemoteId.Length == 0 ? "(no IKE identity)" : RemoteId)} ({AuthenticationMethod})";

    private static bool SameBytes(ReadOnlyMemory<byte>? a, ReadOnlyMemory<byte>? b) =>
        a is null ? b is null : b is not null && a.Value.Span.SequenceEqual(b.Value.Span);
}
