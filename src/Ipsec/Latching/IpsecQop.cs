using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Latching;

/// <summary>
/// The quality of protection a latch requires (RFC 5660's optional QoP argument). A channel that falls short is refused
/// when the latch is created; afterwards congruence keeps the parameters it was latched with.
/// </summary>
public sealed record IpsecQop
{
    /// <summary>Both SAs must provide integrity (default true).</summary>
    public bool RequireIntegrity { get; init; } = true;

    /// <summary>Both SAs must provide confidentiality.</summary>
    public bool RequireConfidentiality { get; init; }

    /// <summary>ESP or AH, or null for either.</summary>
    public XfrmProtocol? Protocol { get; init; }

    /// <summary>Transport or tunnel, or null for either.</summary>
    public XfrmMode? Mode { get; init; }

    /// <summary>The kernel algorithm names allowed (e.g. "rfc4106(gcm(aes))"), or null for any.</summary>
    public IReadOnlySet<string>? AllowedAlgorithms { get; init; }

    /// <summary>The SAs must be narrowed to the connection's 5-tuple (RFC 5660 section 2.1: QoP not indeterminate).</summary>
    public bool RequireDeterminate { get; init; }

    /// <summary>Why <paramref name="channel"/> falls short, or null when it meets this QoP.</summary>
    public string? Check(IpsecChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (RequireIntegrity && !channel.ProvidesIntegrity)
        {
            return "the channel does not provide integrity in both directions";
        }

        if (RequireConfidentiality && !channel.ProvidesConfidentiality)
        {
            return "the channel does not provide confidentiality in both directions";
        }

        if (Protocol is { } p && (channel.Outbound.Protocol != p || channel.Inbound.Protocol != p))
        {
            return $"the channel uses {channel.Outbound.Protocol}/{channel.Inbound.Protocol}, not {p}";
        }

        if (Mode is { } m && (channel.Outbound.Mode != m || channel.Inbound.Mode != m))
        {
            return $"the channel uses {channel.Outbound.Mode} mode, not {m}";
        }

        if (AllowedAlgorithms is { } allowed)
        {
            var refused = channel.Outbound.AlgorithmNames().Concat(channel.Inbound.AlgorithmNames()).FirstOrDefault(a => !allowed.Contains(a));
            if (refused is not null)
            {
                return $"algorithm {refused} is not allowed";
            }
        }

        if (RequireDeterminate && channel.IsQopIndeterminate)
        {
            return "the SAs are not narrowed to this connection (QoP indeterminate)";
        }

        return null;
    }
}
