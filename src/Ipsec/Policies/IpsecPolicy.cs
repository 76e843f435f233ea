using System.Text;

namespace CbbToolkit.Ipsec.Policies;

/// <summary>
/// An application's IPsec policy (draft-komu-btns-api-01 section 2.1) with the BTNS attributes and the ones the later
/// BTNS documents add. Immutable: derive variants with <c>with</c>; value equality is the draft's
/// <c>ipsec_cmp_policy</c> and <see cref="Duplicate"/> its <c>ipsec_dup_policy</c>.
/// </summary>
public sealed record IpsecPolicy
{
    private const int MaxPolicyNameBytes = 255;
    private static readonly UTF8Encoding s_strictUtf8 = new(false, true);

    /// <summary>The system-default policy (IPSEC_DEFAULT_POLICY with no attribute set).</summary>
    public static IpsecPolicy Default { get; } = new();

    /// <summary>The policy type the policy was created with (Table 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A type Table 1 does not define.</exception>
    public IpsecPolicyType Type
    {
        get;
        init => field = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), (uint)value, "Unknown policy type; only 0 (IPSEC_DEFAULT_POLICY) is defined.");
    }

    /// <summary>IPSEC_BTNS_STANDALONE: accept SAs whose peer IKE did not authenticate (RFC 5387 SAB).</summary>
    public bool IsBtnsStandalone { get; init; }

    /// <summary>IPSEC_BTNS_CHANNEL_BINDING: the IPsec channel must be bound to a higher-layer authentication (RFC 5387 CBB).</summary>
    public bool RequireChannelBinding { get; init; }

    /// <summary>Confidentiality (ESP encryption) requirement.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value the enum does not define.</exception>
    public ProtectionRequirement PrivacyProtected
    {
        get;
        init => field = Requirement(IpsecPolicyAttributeType.PrivacyProtected, (uint)value);
    }

    /// <summary>Integrity requirement.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value the enum does not define.</exception>
    public ProtectionRequirement IntegrityProtected
    {
        get;
        init => field = Requirement(IpsecPolicyAttributeType.IntegrityProtected, (uint)value);
    }

    /// <summary>Tunnel mode instead of transport mode.</summary>
    public bool UsesTunnelMode { get; init; }

    /// <summary>Offer IPComp in front of ESP.</summary>
    public bool IsCompressionAvailable { get; init; }

    /// <summary>Require protection, or use it only when an SA exists.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value the enum does not define.</exception>
    public IpsecLevel Level
    {
        get;
        init => field = value <= IpsecLevel.Use
            ? value
            : throw Invalid(IpsecPolicyAttributeType.Level, $"value {(uint)value}; it takes 0 (require) or 1 (use)");
    }

    /// <summary>The request id that ties the kernel template to key management's configuration; 0 means any.</summary>
    public uint RequestId { get; init; }

    /// <summary>The kernel policy priority; lower values win. 0 lets the backend choose.</summary>
    public uint Priority { get; init; }

    /// <summary>
    /// What the converters above the IPsec layer put into channel information (for TLS:
    /// <c>CbbToolkit.Channels.Tls.TlsChannelBindings</c>); <see cref="ChannelBindingSelection.All"/> by default.
    /// </summary>
    public ChannelBindingSelection ChannelBindings { get; init; } = ChannelBindingSelection.All;

    /// <summary>An optional administrative name (the abstract API's policyName).</summary>
    /// <exception cref="ArgumentException">A name that is empty, longer than 255 octets of UTF-8, or not valid Unicode.</exception>
    public string? PolicyName
    {
        get;
        init => field = value is null ? null : CheckedName(value);
    }

    /// <summary>Returns an equal, independent copy (the draft's <c>ipsec_dup_policy</c>).</summary>
    public IpsecPolicy Duplicate() => this with { };

    /// <summary>Tells whether the attribute has a value other than its default.</summary>
    public bool HasAttribute(IpsecPolicyAttributeType attribute) => attribute switch
    {
        IpsecPolicyAttributeType.PolicyName => PolicyName is not null,
        _ => GetAttributeValue(attribute) != GetDefaultValue(attribute),
    };

    /// <summary>
    /// Returns the attribute in its wire form (the draft's <c>ipsec_get_policy_attr</c>): 4 octets in host byte order,
    /// or UTF-8 for <see cref="IpsecPolicyAttributeType.PolicyName"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An unknown type.</exception>
    /// <exception cref="IpsecException">NotFound for an unset policy name.</exception>
    public byte[] GetAttribute(IpsecPolicyAttributeType attribute)
    {
        if (attribute == IpsecPolicyAttributeType.PolicyName)
        {
            return PolicyName is null
                ? throw new IpsecException(IpsecError.NotFound, "The policy has no name; set IPSEC_POLICY_NAME first.")
                : Encoding.UTF8.GetBytes(PolicyName);
        }

        var bytes = new byte[4];
        BitConverter.TryWriteBytes(bytes, GetAttributeValue(attribute));
        return bytes;
    }

    /// <summary>
    /// Returns a copy with the attribute set from its wire form (the draft's <c>ipsec_set_policy_attr</c>).
    /// The length must be exactly the attribute's length and the value one the attribute defines.
    /// </summary>
    /// <exception cref="ArgumentException">Naming the attribute and what was wrong (ArgumentOutOfRangeException for an
    /// unknown type, a wrong length or an undefined value).</exception>
    public IpsecPolicy WithAttribute(IpsecPolicyAttributeType attribute, ReadOnlySpan<byte> value)
    {
        if (attribute == IpsecPolicyAttributeType.PolicyName)
        {
            if (value.Length is 0 or > MaxPolicyNameBytes)
            {
                throw Invalid(attribute, $"length {value.Length}; it takes 1 to {MaxPolicyNameBytes} octets of UTF-8");
            }

            try
            {
                return this with { PolicyName = s_strictUtf8.GetString(value) };
            }
            catch (DecoderFallbackException e)
            {
                throw new ArgumentException("IPSEC_POLICY_NAME is not valid UTF-8.", nameof(value), e);
            }
        }

        _ = GetDefaultValue(attribute); // rejects unknown types before the length check names them
        if (value.Length != 4)
        {
            throw Invalid(attribute, $"length {value.Length}; it takes exactly 4 octets in host byte order");
        }

        var v = BitConverter.ToUInt32(value);
        return attribute switch
        {
            IpsecPolicyAttributeType.BtnsStandalone => this with { IsBtnsStandalone = Flag(attribute, v) },
            IpsecPolicyAttributeType.BtnsChannelBinding => this with { RequireChannelBinding = Flag(attribute, v) },
            IpsecPolicyAttributeType.PrivacyProtected => this with { PrivacyProtected = Requirement(attribute, v) },
            IpsecPolicyAttributeType.IntegrityProtected => this with { IntegrityProtected = Requirement(attribute, v) },
            IpsecPolicyAttributeType.TunnelMode => this with { UsesTunnelMode = Flag(attribute, v) },
            IpsecPolicyAttributeType.CompressionAvailable => this with { IsCompressionAvailable = Flag(attribute, v) },
            IpsecPolicyAttributeType.Level => this with { Level = (IpsecLevel)v },
            IpsecPolicyAttributeType.RequestId => this with { RequestId = v },
            IpsecPolicyAttributeType.Priority => this with { Priority = v },
            IpsecPolicyAttributeType.ChannelBindingTypes => this with { ChannelBindings = new ChannelBindingSelection(v) },
            _ => throw UnknownAttribute(attribute),
        };
    }

    private uint GetAttributeValue(IpsecPolicyAttributeType attribute) => attribute switch
    {
        IpsecPolicyAttributeType.BtnsStandalone => IsBtnsStandalone ? 1u : 0u,
        IpsecPolicyAttributeType.BtnsChannelBinding => RequireChannelBinding ? 1u : 0u,
        IpsecPolicyAttributeType.PrivacyProtected => (uint)PrivacyProtected,
        IpsecPolicyAttributeType.IntegrityProtected => (uint)IntegrityProtected,
        IpsecPolicyAttributeType.TunnelMode => UsesTunnelMode ? 1u : 0u,
        IpsecPolicyAttributeType.CompressionAvailable => IsCompressionAvailable ? 1u : 0u,
        IpsecPolicyAttributeType.Level => (uint)Level,
        IpsecPolicyAttributeType.RequestId => RequestId,
        IpsecPolicyAttributeType.Priority => Priority,
        IpsecPolicyAttributeType.ChannelBindingTypes => ChannelBindings.Flags,
        _ => throw UnknownAttribute(attribute),
    };

    private static uint GetDefaultValue(IpsecPolicyAttributeType attribute) =>
        attribute == IpsecPolicyAttributeType.PolicyName ? 0 : Default.GetAttributeValue(attribute);

    // Every way a name gets in (init, with, WithAttribute) passes here, so GetAttribute always round-trips.
    private static string CheckedName(string name)
    {
        int length;
        try
        {
            length = s_strictUtf8.GetByteCount(name);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("IPSEC_POLICY_NAME is not valid Unicode (it has a lone surrogate).", nameof(name), e);
        }

        return length is 0 or > MaxPolicyNameBytes
            ? throw Invalid(IpsecPolicyAttributeType.PolicyName, $"length {length}; it takes 1 to {MaxPolicyNameBytes} octets of UTF-8")
            : name;
    }

    private static bool Flag(IpsecPolicyAttributeType attribute, uint value) =>
        value <= 1 ? value == 1 : throw Invalid(attribute, $"value {value}; it takes 0 or 1");

    private static ProtectionRequirement Requirement(IpsecPolicyAttributeType attribute, uint value) =>
        value <= (uint)ProtectionRequirement.Disable
            ? (ProtectionRequirement)value
            : throw Invalid(attribute, $"value {value}; it takes 0 (any), 1 (enable) or 2 (disable)");

    // Every caller validates its "value" parameter (an init accessor's, or WithAttribute's).
#pragma warning disable CA2208
    private static ArgumentOutOfRangeException Invalid(IpsecPolicyAttributeType attribute, string what) =>
        new("value", $"Policy attribute {attribute} ({(uint)attribute}) got {what}.");
#pragma warning restore CA2208

    private static ArgumentOutOfRangeException UnknownAttribute(IpsecPolicyAttributeType attribute) =>
        new(nameof(attribute), $"Unknown policy attribute type {(uint)attribute}; docs/api.md lists the defined types.");
}
