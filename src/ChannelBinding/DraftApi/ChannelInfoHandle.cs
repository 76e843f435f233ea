using CbbToolkit.Ipsec;

namespace CbbToolkit.ChannelBinding.DraftApi;

/// <summary>
/// The draft's <c>ipsec_channel_info_t *</c>: a mutable slot holding an immutable <see cref="ChannelBinding.ChannelInfo"/>.
/// <see cref="IpsecApi.ipsec_set_channel_attr(ChannelInfoHandle?, uint, uint, byte[])"/> replaces the information it holds;
/// <see cref="IpsecApi.ipsec_free_channel_info"/> empties it for good.
/// </summary>
public sealed class ChannelInfoHandle
{
    private ChannelInfo? _info;

    /// <summary>Wraps channel information from the .NET API (a converter, the resolver, a pin store) so the draft's functions can use it.</summary>
    public ChannelInfoHandle(ChannelInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        _info = info;
    }

    /// <summary>The channel information the handle holds now.</summary>
    /// <exception cref="IpsecException">InvalidArgument after the handle was freed.</exception>
    public ChannelInfo ChannelInfo => Volatile.Read(ref _info)
        ?? throw new IpsecException(IpsecError.InvalidArgument, "The channel information handle was freed with ipsec_free_channel_info.");

    /// <summary>Whether <see cref="IpsecApi.ipsec_free_channel_info"/> was called on the handle.</summary>
    public bool IsFreed => Volatile.Read(ref _info) is null;

    /// <inheritdoc/>
    public override string ToString() => Volatile.Read(ref _info)?.ToString() ?? "ChannelInfoHandle { freed }";

    /// <summary>The channel information, or null once freed.</summary>
    internal ChannelInfo? Current => Volatile.Read(ref _info);

    /// <summary>Replaces <paramref name="current"/> with <paramref name="next"/>; false when the handle changed or was freed meanwhile.</summary>
    internal bool TryReplace(ChannelInfo current, ChannelInfo next) =>
        ReferenceEquals(Interlocked.CompareExchange(ref _info, next, current), current);

    /// <summary>Empties the handle; false when it was already freed.</summary>
    internal bool TryFree() => Interlocked.Exchange(ref _info, null) is not null;
}
