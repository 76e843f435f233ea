using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.Channels.Tls;

/// <summary>
/// The TLS converter's flags in <see cref="IpsecPolicy.ChannelBindings"/>: which TLS binding values and certificates
/// <see cref="TlsChannelInfoConverter"/> puts into channel information. Combine them with <c>|</c>:
/// <c>IpsecPolicy.Default with { ChannelBindings = TlsChannelBindings.TlsExporter | TlsChannelBindings.TlsServerEndPoint }</c>.
/// </summary>
public static class TlsChannelBindings
{
    /// <summary>The flags the TLS converter defines (the draft's IPSEC_CHANNEL_BINDING_TYPES values, 0x1f).</summary>
    internal const uint DefinedFlags = 0x1f;

    /// <summary>Nothing beyond the TLS version, cipher suite, role, created-at and extended master secret.</summary>
    public static ChannelBindingSelection None => ChannelBindingSelection.None;

    /// <summary>tls-exporter (RFC 9266).</summary>
    public static ChannelBindingSelection TlsExporter { get; } = new(1);

    /// <summary>tls-server-end-point (RFC 5929 section 4).</summary>
    public static ChannelBindingSelection TlsServerEndPoint { get; } = new(2);

    /// <summary>tls-unique (RFC 5929 section 3): TLS 1.2 with extended master secret only (RFC 7627).</summary>
    public static ChannelBindingSelection TlsUnique { get; } = new(4);

    /// <summary>The peer's certificate and the SHA-256 of its SubjectPublicKeyInfo.</summary>
    public static ChannelBindingSelection PeerCertificate { get; } = new(8);

    /// <summary>The local certificate and the SHA-256 of its SubjectPublicKeyInfo.</summary>
    public static ChannelBindingSelection LocalCertificate { get; } = new(16);

    /// <summary>Every value above (<see cref="ChannelBindingSelection.All"/>, the policy's default).</summary>
    public static ChannelBindingSelection All => ChannelBindingSelection.All;

    /// <summary>
    /// The draft's 4-octet IPSEC_CHANNEL_BINDING_TYPES value of a selection: its TLS flags, so the default
    /// (<see cref="All"/>) reads 0x1f.
    /// </summary>
    internal static uint ToDraftValue(ChannelBindingSelection selection) => selection.Flags & DefinedFlags;

    /// <summary>
    /// The selection a draft IPSEC_CHANNEL_BINDING_TYPES value stands for: false for flags the converter does not
    /// define; 0x1f (every TLS flag) is <see cref="All"/>, so it compares equal to the default.
    /// </summary>
    internal static bool TryFromDraftValue(uint value, out ChannelBindingSelection selection)
    {
        selection = value == DefinedFlags ? All : new ChannelBindingSelection(value);
        return (value & ~DefinedFlags) == 0;
    }
}
