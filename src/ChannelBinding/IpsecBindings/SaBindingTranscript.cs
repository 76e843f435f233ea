using System.Buffers.Binary;
using System.Security.Cryptography;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Channels.IpsecBindings;

/// <summary>
/// The transcript of ipsec-sa-binding version 1 (docs/channel-bindings.md), fed straight into SHA-256: label, version,
/// then each SA of the pair in canonical order. Key octets go from the kernel's reply into the hash and nowhere else.
/// </summary>
internal sealed class SaBindingTranscript : IDisposable
{
    /// <summary>The version octet after the label.</summary>
    public const byte Version = 1;

    private const byte KindAead = 1, KindCipher = 2, KindIntegrity = 3;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private int _keyOctets;
    private byte _keyBits; // OR of every key octet: zero when the kernel handed out zeroed keys (lockdown)

    public SaBindingTranscript()
    {
        _hash.AppendData(Label);
        _hash.AppendData([Version]);
    }

    /// <summary>"CbbToolkit ipsec-sa-binding" and a zero octet: no other hash input of this toolkit starts so.</summary>
    public static ReadOnlySpan<byte> Label => "CbbToolkit ipsec-sa-binding\0"u8;

    /// <summary>Whether the SAs appended so far carry key material that is not all zeros.</summary>
    public bool HasKeyMaterial => _keyOctets > 0 && _keyBits != 0;

    /// <summary>
    /// Appends one SA (protocol, mode, addresses, SPI, algorithms with their keys). A NAT-traversal SA (UDP- or
    /// TCP-encapsulated) goes in with address length 0 and no addresses: a NAT between the ends rewrites them, so each end
    /// holds other outer addresses for the same SA.
    /// </summary>
    public void Append(XfrmSaKeyMaterial sa)
    {
        Span<byte> head = stackalloc byte[3 + 16 + 16 + 4 + 1];
        var length = sa.IsEncapsulated ? 0 : sa.SourceAddress.Length;
        head[0] = (byte)sa.Protocol;
        head[1] = (byte)sa.Mode;
        head[2] = (byte)length;
        sa.SourceAddress[..length].CopyTo(head[3..]);
        sa.DestinationAddress[..length].CopyTo(head[(3 + length)..]);
        var at = 3 + (2 * length);
        BinaryPrimitives.WriteUInt32BigEndian(head[at..], sa.Spi);
        head[at + 4] = (byte)((sa.Aead.IsPresent ? 1 : 0) + (sa.Encryption.IsPresent ? 1 : 0) + (sa.Integrity.IsPresent ? 1 : 0));
        _hash.AppendData(head[..(at + 5)]);
        Algorithm(KindAead, sa.Aead);
        Algorithm(KindCipher, sa.Encryption);
        Algorithm(KindIntegrity, sa.Integrity);
    }

    /// <summary>The 32-octet value; the transcript cannot be used afterwards.</summary>
    public void Finish(Span<byte> destination) => _hash.GetHashAndReset(destination);

    public void Dispose() => _hash.Dispose();

    /// <summary>
    /// The canonical order of the two SAs of a pair: by source address octets, then SPI, as unsigned big-endian strings.
    /// Never by direction, so A's outbound SA (source A) sorts the same on both ends. When either SA is encapsulated for
    /// NAT traversal, by SPI alone: behind a NAT the ends see other source addresses, but the same SPIs.
    /// </summary>
    public static int Compare(ReadOnlySpan<byte> sourceX, uint spiX, ReadOnlySpan<byte> sourceY, uint spiY, bool encapsulated = false)
    {
        var bySource = encapsulated ? 0 : sourceX.SequenceCompareTo(sourceY);
        return bySource != 0 ? bySource : spiX.CompareTo(spiY);
    }

    private void Algorithm(byte kind, XfrmKeyedAlgorithmView algorithm)
    {
        if (!algorithm.IsPresent)
        {
            return;
        }

        Span<byte> head = stackalloc byte[2];
        head[0] = kind;
        head[1] = (byte)algorithm.Name.Length; // at most 63: the kernel's name field is 64 octets with its zero
        _hash.AppendData(head);
        _hash.AppendData(algorithm.Name);
        Span<byte> numbers = stackalloc byte[10];
        BinaryPrimitives.WriteUInt32BigEndian(numbers, algorithm.KeyBits);
        BinaryPrimitives.WriteUInt32BigEndian(numbers[4..], algorithm.ExtraBits);
        BinaryPrimitives.WriteUInt16BigEndian(numbers[8..], (ushort)algorithm.Key.Length);
        _hash.AppendData(numbers);
        _hash.AppendData(algorithm.Key);
        _keyOctets += algorithm.Key.Length;
        foreach (var octet in algorithm.Key)
        {
            _keyBits |= octet; // no branch on secret octets
        }
    }
}
