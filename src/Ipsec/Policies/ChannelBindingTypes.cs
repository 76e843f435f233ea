namespace CbbToolkit.Ipsec.Policies;

/// <summary>
/// Which channel-binding values and identities the converters put into channel information
/// ("according to the rules in the given policy", draft section 2.2.5): the TLS converter reads the TLS flags, the IPsec
/// channel converter the IPsec ones; each ignores the other's.
/// </summary>
[Flags]
public enum ChannelBindingTypes : uint
{
    /// <summary>Nothing beyond the TLS version and cipher suite.</summary>
    None = 0,
    /// <summary>tls-exporter (RFC 9266).</summary>
    TlsExporter = 1,
    /// <summary>tls-server-end-point (RFC 5929 section 4).</summary>
    TlsServerEndPoint = 2,
    /// <summary>tls-unique (RFC 5929 section 3), TLS 1.2 only.</summary>
    TlsUnique = 4,
    /// <summary>The peer's certificate and the SHA-256 of its SubjectPublicKeyInfo.</summary>
    PeerCertificate = 8,
    /// <summary>The local certificate and the SHA-256 of its SubjectPublicKeyInfo.</summary>
    LocalCertificate = 16,
    /// <summary>ipsec-end-point-sha256: SHA256(PKi) XOR SHA256(PKr) of the IKE public keys (IPsec channel converter).</summary>
    IpsecEndPoint = 32,
    /// <summary>ipsec-sa-binding: the hash of the SA pair's kernel state, keys included (IPsec channel converter, docs/channel-bindings.md).</summary>
    IpsecSaBinding = 64,
    /// <summary>Every type above.</summary>
    All = TlsExporter | TlsServerEndPoint | TlsUnique | PeerCertificate | LocalCertificate | IpsecEndPoint | IpsecSaBinding,
}
