namespace CbbToolkit.Channels.DraftApi;

/// <summary>
/// The draft's <c>ipsec_channel_info_t *</c>: a mutable slot holding an immutable <see cref="Channels.ChannelInfo"/>.
/// <see cref="IpsecApi.ipsec_set_channel_attr(ChannelInfoHandle?, uint, uint, byte[])"/> replaces the information it holds;
/// <see cref="IpsecApi.ipsec_free_channel_info"/> empties it for good.
/// </summary>
public sealed class ChannelInfoHandle : DraftHandle<ChannelInfo>
{
    /// <summary>Wraps channel information from the .NET API (a converter, the resolver, a pin store) so the draft's functions can use it.</summary>
    public ChannelInfoHandle(ChannelInfo info)
        : base(info)
    {
    }

    /// <summary>The channel information the handle holds now.</summary>
    /// <exception cref="Ipsec.IpsecException">InvalidArgument after the handle was freed.</exception>
    public ChannelInfo ChannelInfo => ValueOrThrow("channel information", "ipsec_free_channel_info");
}
