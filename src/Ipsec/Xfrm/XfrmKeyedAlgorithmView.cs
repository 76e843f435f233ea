using System.Buffers.Binary;
using CbbToolkit.Ipsec.Netlink;
using static CbbToolkit.Ipsec.Xfrm.XfrmLayout;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>
/// One algorithm of an SA as the kernel's reply holds it (struct xfrm_algo, xfrm_algo_auth or xfrm_algo_aead): its
/// name, key length, ICV or truncation length and key octets, as spans into the reply. Valid only inside the
/// <see cref="XfrmSaKeyMaterialCallback"/> that received it; never copy <see cref="Key"/> anywhere that outlives it.
/// </summary>
public readonly ref struct XfrmKeyedAlgorithmView
{
    internal XfrmKeyedAlgorithmView(ReadOnlySpan<byte> value, int keyOffset, string what)
    {
        if (value.Length < keyOffset)
        {
            NetlinkThrow.BadMessage($"{what} of {value.Length} octets (needs {keyOffset})");
        }

        var bits = BinaryPrimitives.ReadUInt32LittleEndian(value[AlgKeyLen..]);
        var octets = (bits + 7) / 8;
        if (octets > (uint)(value.Length - keyOffset))
        {
            NetlinkThrow.BadMessage($"{what} claims a {bits}-bit key in {value.Length - keyOffset} octets");
        }

        var name = value[..AlgNameSize];
        var end = name.IndexOf((byte)0);
        Name = end < 0 ? name : name[..end];
        KeyBits = bits;
        ExtraBits = keyOffset == AlgKey ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(value[AlgAuthTruncLen..]);
        Key = value.Slice(keyOffset, (int)octets);
        IsPresent = true;
    }

    /// <summary>Whether the SA has this algorithm.</summary>
    public bool IsPresent { get; }

    /// <summary>The kernel's algorithm name, ASCII, without the terminating zero (e.g. "rfc4106(gcm(aes))").</summary>
    public ReadOnlySpan<byte> Name { get; }

    /// <summary>The key length in bits (alg_key_len).</summary>
    public uint KeyBits { get; }

    /// <summary>alg_icv_len for an AEAD, alg_trunc_len for integrity (XFRMA_ALG_AUTH_TRUNC), 0 otherwise.</summary>
    public uint ExtraBits { get; }

    /// <summary>The key octets (ceil(<see cref="KeyBits"/> / 8)); secret, and zeroed when the callback returns.</summary>
    public ReadOnlySpan<byte> Key { get; }
}
