using System.Net;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Resolution;

/// <summary>
/// What the resolver tells about one kernel SA: everything but its keys (the cache drops them as it reads the kernel).
/// Counters and use times are as of the cache's last dump or event for that SA.
/// </summary>
public sealed record IpsecSaInfo
{
    /// <summary>The SA's source address (outer source in tunnel mode).</summary>
    public required IPAddress Source { get; init; }

    /// <summary>The SA's destination address.</summary>
    public required IPAddress Destination { get; init; }

    /// <summary>The SPI (host order).</summary>
    public required uint Spi { get; init; }

    /// <summary>ESP, AH or IPComp.</summary>
    public required XfrmProtocol Protocol { get; init; }

    /// <summary>Transport or tunnel.</summary>
    public required XfrmMode Mode { get; init; }

    /// <summary>The reqid that ties it to policy templates and to the IKE daemon's child SA.</summary>
    public required uint RequestId { get; init; }

    /// <summary>The traffic the SA may carry.</summary>
    public required XfrmSelector Selector { get; init; }

    /// <summary>The AEAD algorithm's kernel name (e.g. rfc4106(gcm(aes))), or null.</summary>
    public string? AeadAlgorithm { get; init; }

    /// <summary>The AEAD key length in bits (salt included), or null.</summary>
    public int? AeadKeyBits { get; init; }

    /// <summary>The AEAD ICV length in bits, or null.</summary>
    public uint? AeadIcvBits { get; init; }

    /// <summary>The cipher's kernel name (e.g. cbc(aes), ecb(cipher_null)), or null.</summary>
    public string? EncryptionAlgorithm { get; init; }

    /// <summary>The cipher key length in bits, or null.</summary>
    public int? EncryptionKeyBits { get; init; }

    /// <summary>The integrity algorithm's kernel name (e.g. hmac(sha256)), or null.</summary>
    public string? IntegrityAlgorithm { get; init; }

    /// <summary>The integrity key length in bits, or null.</summary>
    public int? IntegrityKeyBits { get; init; }

    /// <summary>The integrity ICV length in bits when the SA gives one, or null.</summary>
    public uint? IntegrityTruncationBits { get; init; }

    /// <summary>The compression algorithm (IPComp), or null.</summary>
    public string? CompressionAlgorithm { get; init; }

    /// <summary>UDP encapsulation for NAT traversal, or null.</summary>
    public XfrmEncapsulation? Encapsulation { get; init; }

    /// <summary>XFRM_STATE_* flags.</summary>
    public XfrmStateFlags Flags { get; init; }

    /// <summary>The replay window (packets), the ESN window when the SA uses one.</summary>
    public uint ReplayWindow { get; init; }

    /// <summary>The SA's mark, if any.</summary>
    public XfrmMark? Mark { get; init; }

    /// <summary>The xfrm interface id, if any.</summary>
    public uint? InterfaceId { get; init; }

    /// <summary>Soft and hard limits.</summary>
    public required XfrmLifetimeConfig Lifetime { get; init; }

    /// <summary>Bytes, packets, add and first-use times, as of the cache's last look at this SA.</summary>
    public required XfrmLifetimeCurrent Current { get; init; }

    /// <summary>Provides integrity (ESP with an AEAD or an integrity algorithm, or AH).</summary>
    public bool ProvidesIntegrity => Protocol == XfrmProtocol.Ah
        || (Protocol == XfrmProtocol.Esp && (AeadAlgorithm is not null || (IntegrityAlgorithm is not null && !IsNull(IntegrityAlgorithm))));

    /// <summary>Provides confidentiality (ESP with an AEAD or a cipher other than the null cipher).</summary>
    public bool ProvidesConfidentiality => Protocol == XfrmProtocol.Esp
        && (AeadAlgorithm is not null || (EncryptionAlgorithm is not null && !IsNull(EncryptionAlgorithm)));

    /// <summary>Copies what may be shown of a kernel SA; the keys are left behind.</summary>
    public static IpsecSaInfo FromState(XfrmState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new IpsecSaInfo
        {
            Source = state.Source,
            Destination = state.Destination,
            Spi = state.Spi,
            Protocol = state.Protocol,
            Mode = state.Mode,
            RequestId = state.RequestId,
            Selector = state.Selector,
            AeadAlgorithm = state.Aead?.Name,
            AeadKeyBits = state.Aead?.Key.BitLength,
            AeadIcvBits = state.Aead?.IcvBits,
            EncryptionAlgorithm = state.Encryption?.Name,
            EncryptionKeyBits = state.Encryption?.Key.BitLength,
            IntegrityAlgorithm = state.Authentication?.Name,
            IntegrityKeyBits = state.Authentication?.Key.BitLength,
            IntegrityTruncationBits = state.Authentication?.TruncationBits,
            CompressionAlgorithm = state.Compression?.Name,
            Encapsulation = state.Encapsulation,
            Flags = state.Flags,
            ReplayWindow = state.ReplayEsn?.ReplayWindow ?? state.ReplayWindow,
            Mark = state.Mark,
            InterfaceId = state.InterfaceId,
            Lifetime = state.Lifetime,
            Current = state.Current,
        };
    }

    /// <summary>The algorithm names, for display: "rfc4106(gcm(aes))/128" style, without keys.</summary>
    public IReadOnlyList<string> AlgorithmNames()
    {
        var names = new List<string>(3);
        if (AeadAlgorithm is not null)
        {
            names.Add(AeadAlgorithm);
        }

        if (EncryptionAlgorithm is not null)
        {
            names.Add(EncryptionAlgorithm);
        }

        if (IntegrityAlgorithm is not null)
        {
            names.Add(IntegrityAlgorithm);
        }

        if (CompressionAlgorithm is not null)
        {
            names.Add(CompressionAlgorithm);
        }

        return names;
    }

    private static bool IsNull(string name) =>
        name.Contains("null", StringComparison.OrdinalIgnoreCase);
}
