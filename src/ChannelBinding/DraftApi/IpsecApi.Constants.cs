using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.Channels.DraftApi;

// The draft's C names for policy types (Table 1), policy attribute types (Table 2, completed) and channel attribute
// types (Table 3, filled in). Each equals the .NET enum value; docs/api.md has the full tables.
public static partial class IpsecApi
{
    /// <summary>Table 1: IPSEC_DEFAULT_POLICY, start from the system defaults.</summary>
    public const uint IPSEC_DEFAULT_POLICY = (uint)IpsecPolicyType.Default;

    /// <summary>Table 2: allow stand-alone BTNS (unauthenticated) SAs; 4 octets, 0 or 1.</summary>
    public const uint IPSEC_BTNS_STANDALONE = (uint)IpsecPolicyAttributeType.BtnsStandalone;

    /// <summary>Table 2: require the IPsec channel to be bound to a higher layer; 4 octets, 0 or 1.</summary>
    public const uint IPSEC_BTNS_CHANNEL_BINDING = (uint)IpsecPolicyAttributeType.BtnsChannelBinding;

    /// <summary>Confidentiality: 4 octets, 0 any, 1 enable, 2 disable.</summary>
    public const uint IPSEC_PRIVACY_PROTECTED = (uint)IpsecPolicyAttributeType.PrivacyProtected;

    /// <summary>Integrity: 4 octets, 0 any, 1 enable, 2 disable.</summary>
    public const uint IPSEC_INTEGRITY_PROTECTED = (uint)IpsecPolicyAttributeType.IntegrityProtected;

    /// <summary>Tunnel instead of transport mode: 4 octets, 0 or 1.</summary>
    public const uint IPSEC_TUNNEL_MODE = (uint)IpsecPolicyAttributeType.TunnelMode;

    /// <summary>Offer IPComp: 4 octets, 0 or 1.</summary>
    public const uint IPSEC_COMPRESSION_AVAILABLE = (uint)IpsecPolicyAttributeType.CompressionAvailable;

    /// <summary>0 require, 1 use (protect only when an SA exists): 4 octets.</summary>
    public const uint IPSEC_LEVEL = (uint)IpsecPolicyAttributeType.Level;

    /// <summary>The request id tying the policy to key management (0 = any): 4 octets.</summary>
    public const uint IPSEC_REQID = (uint)IpsecPolicyAttributeType.RequestId;

    /// <summary>The kernel policy priority (lower wins, 0 = backend default): 4 octets.</summary>
    public const uint IPSEC_PRIORITY = (uint)IpsecPolicyAttributeType.Priority;

    /// <summary>What ipsec_openssl_to_channel_info includes: 4 octets of <see cref="Tls.TlsChannelBindings"/> flags (0x1f all).</summary>
    public const uint IPSEC_CHANNEL_BINDING_TYPES = (uint)IpsecPolicyAttributeType.ChannelBindingTypes;

    /// <summary>An administrative name: 1 to 255 octets of UTF-8.</summary>
    public const uint IPSEC_POLICY_NAME = (uint)IpsecPolicyAttributeType.PolicyName;

    /// <summary>Channel attribute: TLS protocol version: 2 octets, the wire version (0x0303 TLS 1.2, 0x0304 TLS 1.3), big-endian.</summary>
    public const uint IPSEC_CI_TLS_VERSION = (uint)ChannelAttributeType.TlsVersion;

    /// <summary>Channel attribute: TLS cipher suite: 2 octets, the IANA code point, big-endian.</summary>
    public const uint IPSEC_CI_TLS_CIPHER_SUITE = (uint)ChannelAttributeType.TlsCipherSuite;

    /// <summary>Channel attribute: tls-exporter (RFC 9266): 32 octets.</summary>
    public const uint IPSEC_CI_TLS_EXPORTER = (uint)ChannelAttributeType.TlsExporter;

    /// <summary>Channel attribute: tls-server-end-point (RFC 5929 section 4): the hash of the server certificate, 32, 48 or 64 octets.</summary>
    public const uint IPSEC_CI_TLS_SERVER_END_POINT = (uint)ChannelAttributeType.TlsServerEndPoint;

    /// <summary>Channel attribute: tls-unique (RFC 5929 section 3, TLS 1.2 only): the first Finished message's verify_data, 12 to 64 octets.</summary>
    public const uint IPSEC_CI_TLS_UNIQUE = (uint)ChannelAttributeType.TlsUnique;

    /// <summary>Channel attribute: Whether extended master secret (RFC 7627) was negotiated: 1 octet, 0 or 1.</summary>
    public const uint IPSEC_CI_EXTENDED_MASTER_SECRET = (uint)ChannelAttributeType.ExtendedMasterSecret;

    /// <summary>Channel attribute: The peer's certificate: DER.</summary>
    public const uint IPSEC_CI_PEER_CERTIFICATE = (uint)ChannelAttributeType.PeerCertificate;

    /// <summary>Channel attribute: SHA-256 of the peer's DER SubjectPublicKeyInfo: 32 octets.</summary>
    public const uint IPSEC_CI_PEER_SPKI_SHA256 = (uint)ChannelAttributeType.PeerSpkiSha256;

    /// <summary>Channel attribute: The local certificate: DER.</summary>
    public const uint IPSEC_CI_LOCAL_CERTIFICATE = (uint)ChannelAttributeType.LocalCertificate;

    /// <summary>Channel attribute: SHA-256 of the local DER SubjectPublicKeyInfo: 32 octets.</summary>
    public const uint IPSEC_CI_LOCAL_SPKI_SHA256 = (uint)ChannelAttributeType.LocalSpkiSha256;

    /// <summary>Channel attribute: Which end computed this information: 1 octet, 1 client, 2 server (<see cref="ChannelRole"/>).</summary>
    public const uint IPSEC_CI_ROLE = (uint)ChannelAttributeType.Role;

    /// <summary>Channel attribute: When the information was computed: 8 octets, Unix time in milliseconds, big-endian.</summary>
    public const uint IPSEC_CI_CREATED_AT = (uint)ChannelAttributeType.CreatedAt;

    /// <summary>Channel attribute: ipsec-end-point-sha256: SHA256(PKi) XOR SHA256(PKr) of the IKE public keys, 32 octets.</summary>
    public const uint IPSEC_CI_IPSEC_END_POINT_SHA256 = (uint)ChannelAttributeType.IpsecEndPointSha256;

    /// <summary>Channel attribute: ipsec-single-end-point-sha256: SHA256(PKp) when only one IKE peer has a public key, 32 octets.</summary>
    public const uint IPSEC_CI_IPSEC_SINGLE_END_POINT_SHA256 = (uint)ChannelAttributeType.IpsecSingleEndPointSha256;

    /// <summary>Channel attribute: A binding derived from the SA pair's kernel state that both ends share: 32 octets (docs/api.md).</summary>
    public const uint IPSEC_CI_IPSEC_SA_BINDING = (uint)ChannelAttributeType.IpsecSaBinding;

    /// <summary>Channel attribute: The IPsec peer's IKE identity: UTF-8.</summary>
    public const uint IPSEC_CI_IPSEC_PEER_ID = (uint)ChannelAttributeType.IpsecPeerId;

    /// <summary>Channel attribute: How IKE authenticated the peer: 1 octet (<see cref="CbbToolkit.Ipsec.IpsecAuthenticationMethod"/>).</summary>
    public const uint IPSEC_CI_IPSEC_AUTH_METHOD = (uint)ChannelAttributeType.IpsecAuthenticationMethod;

    /// <summary>Channel attribute: The IPsec peer's public key: DER SubjectPublicKeyInfo.</summary>
    public const uint IPSEC_CI_IPSEC_PEER_PUBLIC_KEY = (uint)ChannelAttributeType.IpsecPeerPublicKey;

    /// <summary>Channel attribute: The SA protocol: 1 octet, the IP protocol number (50 ESP, 51 AH).</summary>
    public const uint IPSEC_CI_IPSEC_PROTOCOL = (uint)ChannelAttributeType.IpsecProtocol;

    /// <summary>Channel attribute: The SA mode: 1 octet, 0 transport, 1 tunnel.</summary>
    public const uint IPSEC_CI_IPSEC_MODE = (uint)ChannelAttributeType.IpsecMode;

    /// <summary>Channel attribute: The outbound SA's SPI: 4 octets, big-endian.</summary>
    public const uint IPSEC_CI_IPSEC_OUTBOUND_SPI = (uint)ChannelAttributeType.IpsecOutboundSpi;

    /// <summary>Channel attribute: The inbound SA's SPI: 4 octets, big-endian.</summary>
    public const uint IPSEC_CI_IPSEC_INBOUND_SPI = (uint)ChannelAttributeType.IpsecInboundSpi;

    /// <summary>Channel attribute: The SA pair's request id: 4 octets, big-endian.</summary>
    public const uint IPSEC_CI_IPSEC_REQID = (uint)ChannelAttributeType.IpsecRequestId;

    /// <summary>Channel attribute: The SA algorithms, names only (never keys): UTF-8, comma separated.</summary>
    public const uint IPSEC_CI_IPSEC_ALGORITHMS = (uint)ChannelAttributeType.IpsecAlgorithms;

    /// <summary>Channel attribute: The RFC 5660 latch state: 1 octet (<see cref="CbbToolkit.Ipsec.Latching.IpsecLatchState"/>).</summary>
    public const uint IPSEC_CI_LATCH_STATE = (uint)ChannelAttributeType.LatchState;

    /// <summary>Channel attribute: 1 when the SAs are not narrowed to the connection's 5-tuple (RFC 5660 section 2.1): 1 octet, 0 or 1.</summary>
    public const uint IPSEC_CI_QOP_INDETERMINATE = (uint)ChannelAttributeType.QopIndeterminate;
}
