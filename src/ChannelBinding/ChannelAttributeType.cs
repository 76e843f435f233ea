namespace CbbToolkit.Channels;

/// <summary>
/// Channel attribute types: the draft's empty Table 3, filled in. Values are stable: they appear in the canonical
/// binary form. Lengths and encodings are in <see cref="ChannelAttributeSpec"/> and docs/api.md.
/// </summary>
public enum ChannelAttributeType : ushort
{
    /// <summary>TLS protocol version: 2 octets, the wire version (0x0303 TLS 1.2, 0x0304 TLS 1.3), big-endian.</summary>
    TlsVersion = 1,
    /// <summary>TLS cipher suite: 2 octets, the IANA code point, big-endian.</summary>
    TlsCipherSuite = 2,
    /// <summary>tls-exporter (RFC 9266): 32 octets.</summary>
    TlsExporter = 3,
    /// <summary>tls-server-end-point (RFC 5929 section 4): the hash of the server certificate, 32, 48 or 64 octets.</summary>
    TlsServerEndPoint = 4,
    /// <summary>tls-unique (RFC 5929 section 3, TLS 1.2 only): the first Finished message's verify_data, 12 to 64 octets.</summary>
    TlsUnique = 5,
    /// <summary>Whether extended master secret (RFC 7627) was negotiated: 1 octet, 0 or 1.</summary>
    ExtendedMasterSecret = 6,
    /// <summary>The peer's certificate: DER.</summary>
    PeerCertificate = 7,
    /// <summary>SHA-256 of the peer's DER SubjectPublicKeyInfo: 32 octets.</summary>
    PeerSpkiSha256 = 8,
    /// <summary>The local certificate: DER.</summary>
    LocalCertificate = 9,
    /// <summary>SHA-256 of the local DER SubjectPublicKeyInfo: 32 octets.</summary>
    LocalSpkiSha256 = 10,
    /// <summary>Which end computed this information: 1 octet, 1 client, 2 server (<see cref="ChannelRole"/>).</summary>
    Role = 11,
    /// <summary>When the information was computed: 8 octets, Unix time in milliseconds, big-endian.</summary>
    CreatedAt = 12,

    /// <summary>ipsec-end-point-sha256: SHA256(PKi) XOR SHA256(PKr) of the IKE public keys, 32 octets.</summary>
    IpsecEndPointSha256 = 32,
    /// <summary>ipsec-single-end-point-sha256: SHA256(PKp) when only one IKE peer has a public key, 32 octets.</summary>
    IpsecSingleEndPointSha256 = 33,
    /// <summary>A binding derived from the SA pair's kernel state that both ends share: 32 octets (docs/api.md).</summary>
    IpsecSaBinding = 34,
    /// <summary>The IPsec peer's IKE identity: UTF-8.</summary>
    IpsecPeerId = 35,
    /// <summary>How IKE authenticated the peer: 1 octet (<see cref="CbbToolkit.Ipsec.IpsecAuthenticationMethod"/>).</summary>
    IpsecAuthenticationMethod = 36,
    /// <summary>The IPsec peer's public key: DER SubjectPublicKeyInfo.</summary>
    IpsecPeerPublicKey = 37,
    /// <summary>The SA protocol: 1 octet, the IP protocol number (50 ESP, 51 AH).</summary>
    IpsecProtocol = 38,
    /// <summary>The SA mode: 1 octet, 0 transport, 1 tunnel.</summary>
    IpsecMode = 39,
    /// <summary>The outbound SA's SPI: 4 octets, big-endian.</summary>
    IpsecOutboundSpi = 40,
    /// <summary>The inbound SA's SPI: 4 octets, big-endian.</summary>
    IpsecInboundSpi = 41,
    /// <summary>The SA pair's request id: 4 octets, big-endian.</summary>
    IpsecRequestId = 42,
    /// <summary>The SA algorithms, names only (never keys): UTF-8, comma separated.</summary>
    IpsecAlgorithms = 43,
    /// <summary>The RFC 5660 latch state: 1 octet (<see cref="CbbToolkit.Ipsec.Latching.IpsecLatchState"/>).</summary>
    LatchState = 44,
    /// <summary>1 when the SAs are not narrowed to the connection's 5-tuple (RFC 5660 section 2.1): 1 octet, 0 or 1.</summary>
    QopIndeterminate = 45,
}
