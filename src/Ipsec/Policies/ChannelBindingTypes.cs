namespace CbbToolkit.Ipsec.Policies;

/// <summary>
/// Which channel-binding values and identities the converter puts into channel information
/// ("according to the rules in the given policy", draft section 2.2.5).
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
    /// <summary>Every type above.</summary>
    All = TlsExporter | TlsServerEndPoint | TlsUnique | PeerCertificate | LocalCertificate,
}
