namespace CbbToolkit.Ipsec.Policies;

/// <summary>
/// Attribute types of the draft's Table 2, completed with the attributes of the later BTNS documents that this
/// toolkit acts on. Every value is 4 octets in host byte order unless said otherwise (docs/api.md).
/// </summary>
public enum IpsecPolicyAttributeType : uint
{
    /// <summary>IPSEC_BTNS_STANDALONE: 0 or 1; allow unauthenticated (stand-alone BTNS) SAs.</summary>
    BtnsStandalone = 1,
    /// <summary>IPSEC_BTNS_CHANNEL_BINDING: 0 or 1; require the IPsec channel to be bound to a higher layer.</summary>
    BtnsChannelBinding = 2,
    /// <summary>IPSEC_PRIVACY_PROTECTED: a <see cref="ProtectionRequirement"/> for confidentiality (ESP encryption).</summary>
    PrivacyProtected = 3,
    /// <summary>IPSEC_INTEGRITY_PROTECTED: a <see cref="ProtectionRequirement"/> for integrity.</summary>
    IntegrityProtected = 4,
    /// <summary>IPSEC_TUNNEL_MODE: 0 (transport) or 1 (tunnel).</summary>
    TunnelMode = 5,
    /// <summary>IPSEC_COMPRESSION_AVAILABLE: 0 or 1; offer IPComp.</summary>
    CompressionAvailable = 6,
    /// <summary>IPSEC_LEVEL: an <see cref="IpsecLevel"/>.</summary>
    Level = 7,
    /// <summary>IPSEC_REQID: the request id that ties the policy to key management's configuration (0 = any).</summary>
    RequestId = 8,
    /// <summary>IPSEC_PRIORITY: the kernel policy priority (lower wins).</summary>
    Priority = 9,
    /// <summary>IPSEC_CHANNEL_BINDING_TYPES: the <see cref="ChannelBindingSelection"/> flags the converters include (opaque here).</summary>
    ChannelBindingTypes = 10,
    /// <summary>IPSEC_POLICY_NAME: 1 to 255 octets of UTF-8 (the abstract API's policyName).</summary>
    PolicyName = 11,
}
