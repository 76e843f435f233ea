using System.Security.Cryptography;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Channels.IpsecBindings;

/// <summary>
/// ipsec-end-point-sha256 (draft-ietf-btns-channel-binding-api-00): SHA256(PKi) XOR SHA256(PKr), PK the DER
/// SubjectPublicKeyInfo of the IKE initiator's and responder's keys. The peer's key comes from the peer source, ours from
/// the daemon (both from <see cref="IpsecPeer"/>); defined only when IKE authenticated both ends with public keys or
/// certificates. XOR is symmetric, so both ends compute the same value whichever of them initiated.
/// </summary>
public static class IpsecEndPointBinding
{
    /// <summary>The value for the channel's IKE SA, or why there is none.</summary>
    public static IpsecBindingResult Compute(IpsecChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.Peer is not { } peer)
        {
            return IpsecBindingResult.Absent(IpsecBindingAbsence.NoPeer,
                "ipsec-end-point-sha256 needs the IKE peer, and no key manager named it" + (channel.PeerMessage is { } m ? ": " + m : "."));
        }

        return Compute(peer);
    }

    /// <summary>The value for an IKE SA as its peer source describes it, or why there is none.</summary>
    public static IpsecBindingResult Compute(IpsecPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!IsPublicKey(peer.AuthenticationMethod) || !IsPublicKey(peer.LocalAuthenticationMethod))
        {
            return IpsecBindingResult.Absent(IpsecBindingAbsence.NotPublicKeyAuthentication,
                $"IKE did not authenticate both ends with public keys (peer: {peer.AuthenticationMethod}, us: {peer.LocalAuthenticationMethod}).");
        }

        if (peer.PublicKey is not { Length: > 0 } remote)
        {
            return IpsecBindingResult.Absent(IpsecBindingAbsence.PeerKeyUnknown, "The key manager holds no single public key for the peer.");
        }

        if (peer.LocalPublicKey is not { Length: > 0 } local)
        {
            return IpsecBindingResult.Absent(IpsecBindingAbsence.LocalKeyUnknown, "The key manager holds no single public key of ours for this IKE SA.");
        }

        Span<byte> a = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[SHA256.HashSizeInBytes];
        // Initiator first, as the draft writes it; the XOR makes the order immaterial.
        var (initiator, responder) = peer.IsLocalInitiator == false ? (remote, local) : (local, remote);
        SHA256.HashData(initiator.Span, a);
        SHA256.HashData(responder.Span, b);
        for (var i = 0; i < a.Length; i++)
        {
            a[i] ^= b[i];
        }

        return a.IndexOfAnyExcept((byte)0) < 0
            ? IpsecBindingResult.Absent(IpsecBindingAbsence.SameKeyBothEnds, "Both IKE ends use the same public key; the XOR binds nothing.")
            : IpsecBindingResult.Of(a);
    }

    private static bool IsPublicKey(IpsecAuthenticationMethod method) => method is IpsecAuthenticationMethod.RawPublicKey
        or IpsecAuthenticationMethod.PkixTrusted or IpsecAuthenticationMethod.PkixInline or IpsecAuthenticationMethod.PkixOffline;
}
