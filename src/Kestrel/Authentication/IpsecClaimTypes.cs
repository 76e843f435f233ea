namespace CbbToolkit.Kestrel.Authentication;

/// <summary>
/// The claim types of a principal authenticated from a verified IPsec channel (<c>AddIpsec</c>) or a channel binding
/// (<c>AddChannelBinding</c>). Values come from the key manager and the kernel, never from the request.
/// </summary>
public static class IpsecClaimTypes
{
    private const string Prefix = "urn:cbbtoolkit:ipsec:";

    /// <summary>The peer's IKE identity as the IKE daemon prints it (an FQDN, an address, a DN...). Also the Name and NameIdentifier.</summary>
    public const string IkeId = Prefix + "ike-id";

    /// <summary>How IKE authenticated the peer: the <see cref="CbbToolkit.Ipsec.IpsecAuthenticationMethod"/> name, e.g. <c>PkixTrusted</c>.</summary>
    public const string AuthenticationMethod = Prefix + "auth-method";

    /// <summary>SHA-256 of the peer's IKE public key (DER SubjectPublicKeyInfo), lower-case hex; present when the daemon knows the key.</summary>
    public const string PeerPublicKeySha256 = Prefix + "peer-public-key-sha256";

    /// <summary>The subject of the peer's IKE certificate (RFC 4514 form); present when IKE used a certificate.</summary>
    public const string PeerCertificateSubject = Prefix + "peer-certificate-subject";

    /// <summary>SHA-256 thumbprint of the peer's IKE certificate (DER), lower-case hex; present when IKE used a certificate.</summary>
    public const string PeerCertificateThumbprint = Prefix + "peer-certificate-sha256";

    /// <summary>The channel's ipsec-end-point-sha256 (SHA-256(PKi) XOR SHA-256(PKr)), lower-case hex; present when both IKE keys are known.</summary>
    public const string EndPointSha256 = Prefix + "ipsec-end-point-sha256";

    /// <summary>The channel binding that authenticated the connection (its id in text form); set by the channel-binding scheme.</summary>
    public const string BindingId = Prefix + "binding-id";
}
