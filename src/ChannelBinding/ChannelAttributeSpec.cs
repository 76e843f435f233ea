namespace CbbToolkit.Channels;

/// <summary>
/// What a channel attribute type admits: its name, the lengths its value may have, and whether it is a channel-binding
/// value (compared in constant time). One table serves the attribute API, the parser and the docs.
/// </summary>
/// <param name="Type">The attribute type.</param>
/// <param name="Name">The lower-case name used in JSON and documentation (the RFC's name for binding types).</param>
/// <param name="MinLength">The shortest value allowed, in octets.</param>
/// <param name="MaxLength">The longest value allowed, in octets.</param>
/// <param name="IsBindingValue">Whether the value is a channel binding (constant-time comparison, never logged).</param>
public sealed record ChannelAttributeSpec(ChannelAttributeType Type, string Name, int MinLength, int MaxLength, bool IsBindingValue)
{
    /// <summary>The largest certificate or key the canonical form carries (64 KiB).</summary>
    public const int MaxBlobLength = 64 * 1024;

    private static readonly ChannelAttributeSpec[] s_all =
    [
        new(ChannelAttributeType.TlsVersion, "tls-version", 2, 2, false),
        new(ChannelAttributeType.TlsCipherSuite, "tls-cipher-suite", 2, 2, false),
        new(ChannelAttributeType.TlsExporter, "tls-exporter", 32, 32, true),
        new(ChannelAttributeType.TlsServerEndPoint, "tls-server-end-point", 32, 64, true),
        new(ChannelAttributeType.TlsUnique, "tls-unique", 12, 64, true),
        new(ChannelAttributeType.ExtendedMasterSecret, "extended-master-secret", 1, 1, false),
        new(ChannelAttributeType.PeerCertificate, "peer-certificate", 1, MaxBlobLength, false),
        new(ChannelAttributeType.PeerSpkiSha256, "peer-spki-sha256", 32, 32, false),
        new(ChannelAttributeType.LocalCertificate, "local-certificate", 1, MaxBlobLength, false),
        new(ChannelAttributeType.LocalSpkiSha256, "local-spki-sha256", 32, 32, false),
        new(ChannelAttributeType.Role, "role", 1, 1, false),
        new(ChannelAttributeType.CreatedAt, "created-at", 8, 8, false),
        new(ChannelAttributeType.IpsecEndPointSha256, "ipsec-end-point-sha256", 32, 32, true),
        new(ChannelAttributeType.IpsecSingleEndPointSha256, "ipsec-single-end-point-sha256", 32, 32, true),
        new(ChannelAttributeType.IpsecSaBinding, "ipsec-sa-binding", 32, 32, true),
        new(ChannelAttributeType.IpsecPeerId, "ipsec-peer-id", 1, 1024, false),
        new(ChannelAttributeType.IpsecAuthenticationMethod, "ipsec-auth-method", 1, 1, false),
        new(ChannelAttributeType.IpsecPeerPublicKey, "ipsec-peer-public-key", 1, MaxBlobLength, false),
        new(ChannelAttributeType.IpsecProtocol, "ipsec-protocol", 1, 1, false),
        new(ChannelAttributeType.IpsecMode, "ipsec-mode", 1, 1, false),
        new(ChannelAttributeType.IpsecOutboundSpi, "ipsec-outbound-spi", 4, 4, false),
        new(ChannelAttributeType.IpsecInboundSpi, "ipsec-inbound-spi", 4, 4, false),
        new(ChannelAttributeType.IpsecRequestId, "ipsec-reqid", 4, 4, false),
        new(ChannelAttributeType.IpsecAlgorithms, "ipsec-algorithms", 1, 1024, false),
        new(ChannelAttributeType.LatchState, "latch-state", 1, 1, false),
        new(ChannelAttributeType.QopIndeterminate, "qop-indeterminate", 1, 1, false),
    ];

    /// <summary>Every defined attribute type, in ascending order of type.</summary>
    public static IReadOnlyList<ChannelAttributeSpec> All => s_all;

    /// <summary>Finds the specification of a type; false for a type this version does not define.</summary>
    public static bool TryGet(ChannelAttributeType type, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ChannelAttributeSpec? spec)
    {
        foreach (var s in s_all)
        {
            if (s.Type == type)
            {
                spec = s;
                return true;
            }
        }

        spec = null;
        return false;
    }

    /// <summary>Whether a value of this length is allowed.</summary>
    public bool AllowsLength(int length) => length >= MinLength && length <= MaxLength;
}
