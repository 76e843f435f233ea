using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.Channels.IpsecBindings;

/// <summary>
/// The IPsec channel converter's flags in <see cref="IpsecPolicy.ChannelBindings"/>: which IPsec binding values
/// <see cref="IpsecChannelInfoConverter.FromChannelAsync"/> computes. The TLS converter ignores them, as this one ignores
/// the TLS flags; <see cref="ChannelBindingSelection.All"/> (the default) selects both.
/// </summary>
public static class IpsecChannelBindings
{
    /// <summary>ipsec-end-point-sha256: SHA256(PKi) XOR SHA256(PKr) of the IKE public keys.</summary>
    public static ChannelBindingSelection IpsecEndPoint { get; } = new(0x20);

    /// <summary>ipsec-sa-binding: the hash of the SA pair's kernel state, keys included (docs/channel-bindings.md).</summary>
    public static ChannelBindingSelection IpsecSaBinding { get; } = new(0x40);
}
