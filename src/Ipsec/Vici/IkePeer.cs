using System.Net;

namespace CbbToolkit.Ipsec.Vici;

/// <summary>
/// Who is on the other end of a child SA, as the IKE daemon knows it: the IKE SA that negotiated it, how the peer
/// authenticated, and the peer's public key or certificate where the daemon holds it (configured or pinned; charon
/// does not reveal keys it only received in-band).
/// </summary>
public sealed record IkePeer
{
    /// <summary>The IKE SA that owns the child SA.</summary>
    public required IkeSa IkeSa { get; init; }

    /// <summary>The matched child SA.</summary>
    public required ChildSa ChildSa { get; init; }

    /// <summary>The peer's IKE identity.</summary>
    public string? RemoteId => IkeSa.RemoteId;

    /// <summary>The peer's IKE address.</summary>
    public IPAddress? RemoteHost => IkeSa.RemoteHost;

    /// <summary>charon's unique id of the IKE SA.</summary>
    public uint IkeSaUniqueId => IkeSa.UniqueId;

    /// <summary>How the peer authenticated (first round), mapped from strongSwan's auth class and the credential found.</summary>
    public IpsecAuthenticationMethod AuthenticationMethod { get; init; }

    /// <summary>strongSwan's auth class of the first remote round ("public key", "pre-shared key", ...), when configured.</summary>
    public string? AuthenticationClass { get; init; }

    /// <summary>The peer's SubjectPublicKeyInfo (DER), when the daemon holds exactly one key for this peer.</summary>
    public ReadOnlyMemory<byte>? PublicKey { get; init; }

    /// <summary>The peer's X.509 certificate (DER), when it was configured as the peer's certificate.</summary>
    public ReadOnlyMemory<byte>? Certificate { get; init; }

    /// <summary>How we authenticated to the peer (our first round), mapped like <see cref="AuthenticationMethod"/>.</summary>
    public IpsecAuthenticationMethod LocalAuthenticationMethod { get; init; }

    /// <summary>
    /// Our own SubjectPublicKeyInfo (DER) in this IKE SA: the one key or certificate of our first round whose private key
    /// the daemon holds; null when there is none or more than one (fail closed).
    /// </summary>
    public ReadOnlyMemory<byte>? LocalPublicKey { get; init; }

    /// <summary>Whether we initiated the IKE SA (VICI <c>initiator</c>).</summary>
    public bool IsLocalInitiator => IkeSa.IsInitiator;
}
