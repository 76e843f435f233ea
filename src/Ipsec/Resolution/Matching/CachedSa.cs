using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Resolution.Matching;

/// <summary>A kernel SA as the cache holds it: the key-free <see cref="IpsecSaInfo"/> plus the numeric forms matching needs.</summary>
internal sealed class CachedSa
{
    public CachedSa(XfrmState state, long order)
    {
        Order = order;
        Info = IpsecSaInfo.FromState(state);
        Destination = AddressKey.From(state.Destination);
        Source = AddressKey.From(state.Source);
        Selector = new CompiledSelector(state.Selector);
        Id = new SaId(Destination, state.Spi, (byte)state.Protocol, state.Mark?.Value ?? 0, state.Mark?.Mask ?? 0);
    }

    public IpsecSaInfo Info { get; }

    public SaId Id { get; }

    public AddressKey Destination { get; }

    public AddressKey Source { get; }

    public CompiledSelector Selector { get; }

    public uint RequestId => Info.RequestId;

    public XfrmMode Mode => Info.Mode;

    /// <summary>A larval SA (SPI 0) stands for an ACQUIRE key management has not answered yet; it carries nothing.</summary>
    public bool IsLarval => Info.Spi == 0;

    /// <summary>Unmarked packets (what a plain socket sends and receives) can use this SA.</summary>
    public bool TakesUnmarked => Info.Mark is not { } m || m.Value == 0;

    public bool HasInterfaceId => Info.InterfaceId is > 0;

    public ulong AddTime => Info.Current.AddTime;

    /// <summary>
    /// Where the SA stands in the kernel's insertion order (higher is newer). The kernel's add time counts whole
    /// seconds, so an SA and its rekeyed successor often share one; the kernel then takes the one inserted last.
    /// </summary>
    public long Order { get; }

    /// <summary>Newer than <paramref name="other"/>: a later add time, or the same second and inserted later.</summary>
    public bool IsNewerThan(CachedSa other) => AddTime != other.AddTime ? AddTime > other.AddTime : Order > other.Order;

    /// <summary>No algorithm at all: a state reserved by ALLOCSPI (larval, not yet filled in by UPDSA).</summary>
    public bool HasNoAlgorithm =>
        Info.AeadAlgorithm is null && Info.EncryptionAlgorithm is null && Info.IntegrityAlgorithm is null && Info.CompressionAlgorithm is null;
}
