using CbbToolkit.Ipsec.Latching;

namespace CbbToolkit.Channels.Bindings.Proofs;

/// <summary>
/// The IPsec binding values one end sees for a connection, read from its <see cref="ChannelInfo"/>: ipsec-sa-binding
/// (required) and ipsec-end-point-sha256 (when present). Refuses a channel that is not there or not latched.
/// </summary>
internal readonly struct IpsecBindingInputs
{
    public const int ValueLength = 32;

    private IpsecBindingInputs(ReadOnlyMemory<byte> saBinding, ReadOnlyMemory<byte> endPoint)
    {
        SaBinding = saBinding;
        EndPoint = endPoint;
    }

    public ReadOnlyMemory<byte> SaBinding { get; }

    public ReadOnlyMemory<byte> EndPoint { get; }

    /// <summary>The values this end has: always SaBinding, plus EndPointSha256 when known.</summary>
    public IpsecBindingValues Available => EndPoint.IsEmpty
        ? IpsecBindingValues.SaBinding
        : IpsecBindingValues.SaBinding | IpsecBindingValues.EndPointSha256;

    /// <summary>
    /// Reads the values. <paramref name="requireLatched"/>: the latch-state attribute must be present and Established
    /// (a later connection); otherwise a present latch state must not be Broken or Closed (first contact).
    /// </summary>
    /// <exception cref="ChannelBindingException">ChannelNotVerified, saying what is missing.</exception>
    public static IpsecBindingInputs FromChannel(ChannelInfo channel, bool requireLatched)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (!channel.TryGet(ChannelAttributeType.IpsecSaBinding, out var sa) || sa.Length != ValueLength)
        {
            throw new ChannelBindingException(BindingFailureReason.ChannelNotVerified,
                "The connection's channel information has no ipsec-sa-binding: no IPsec SA pair was found for it, or its keys " +
                "could not be read (CAP_NET_ADMIN). Without it nothing can be bound; use TLS and the normal credentials.");
        }

        var latched = channel.TryGet(ChannelAttributeType.LatchState, out var state);
        var current = latched ? (IpsecLatchState)state.Span[0] : (IpsecLatchState)0;
        if ((requireLatched && current != IpsecLatchState.Established) || current is IpsecLatchState.Broken or IpsecLatchState.Closed)
        {
            throw new ChannelBindingException(BindingFailureReason.ChannelNotVerified,
                $"The connection's IPsec channel is not verified now (latch state {(latched ? current.ToString() : "absent")}); " +
                "a binding authenticates only a latched connection whose SA pair the kernel still holds.");
        }

        channel.TryGet(ChannelAttributeType.IpsecEndPointSha256, out var endPoint);
        return new IpsecBindingInputs(sa, endPoint.Length == ValueLength ? endPoint : default);
    }

    /// <summary>For test vectors and benchmarks: values given directly.</summary>
    public static IpsecBindingInputs FromValues(ReadOnlyMemory<byte> saBinding, ReadOnlyMemory<byte> endPoint) =>
        saBinding.Length == ValueLength && endPoint.Length is 0 or ValueLength
            ? new(saBinding, endPoint)
            : throw new ArgumentException("Binding values are 32 octets (the end point value may be absent).");

    /// <summary>Writes ipsec-sa-binding, then ipsec-end-point-sha256 when covered; returns the length written.</summary>
    public int WriteCovered(IpsecBindingValues covered, Span<byte> destination)
    {
        SaBinding.Span.CopyTo(destination);
        if (!covered.HasFlag(IpsecBindingValues.EndPointSha256))
        {
            return ValueLength;
        }

        EndPoint.Span.CopyTo(destination[ValueLength..]);
        return 2 * ValueLength;
    }
}
