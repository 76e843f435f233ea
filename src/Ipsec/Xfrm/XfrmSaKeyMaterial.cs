using System.Buffers.Binary;
using CbbToolkit.Ipsec.Netlink;
using static CbbToolkit.Ipsec.Xfrm.XfrmLayout;
using A = CbbToolkit.Ipsec.Xfrm.XfrmAttributeType;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>
/// One SA of a GETSA reply, read in place: identity, outer addresses, mode and the keyed algorithms, all as spans into
/// the reply. It exists only for the duration of an <see cref="XfrmSaKeyMaterialCallback"/>; unlike
/// <see cref="XfrmState"/> it copies no key into a heap object, so nothing secret is left behind once the caller's
/// buffer is zeroed.
/// </summary>
public readonly ref struct XfrmSaKeyMaterial
{
    internal XfrmSaKeyMaterial(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < SaInfoSize)
        {
            NetlinkThrow.BadMessage($"an SA message of {payload.Length} octets (xfrm_usersa_info takes {SaInfoSize})");
        }

        var family = BinaryPrimitives.ReadUInt16LittleEndian(payload[SaFamily..]);
        var length = XfrmWire.FromLinuxFamily(family) == System.Net.Sockets.AddressFamily.InterNetwork ? 4 : 16;
        DestinationAddress = payload.Slice(SaId + IdDaddr, length);
        SourceAddress = payload.Slice(SaSaddr, length);
        Spi = BinaryPrimitives.ReadUInt32BigEndian(payload[(SaId + IdSpi)..]);
        Protocol = (XfrmProtocol)payload[SaId + IdProto];
        Mode = (XfrmMode)payload[SaMode];

        XfrmKeyedAlgorithmView aead = default, crypt = default, auth = default, authTrunc = default;
        var encapsulated = false;
        var reader = new NetlinkAttributeReader(payload[SaInfoSize..]);
        while (reader.TryRead(out var type, out var v))
        {
            switch (type)
            {
                case A.AlgAead:
                    aead = new XfrmKeyedAlgorithmView(v, AlgAeadKey, "XFRMA_ALG_AEAD");
                    break;
                case A.AlgCrypt:
                    crypt = new XfrmKeyedAlgorithmView(v, AlgKey, "XFRMA_ALG_CRYPT");
                    break;
                case A.AlgAuth:
                    auth = new XfrmKeyedAlgorithmView(v, AlgKey, "XFRMA_ALG_AUTH");
                    break;
                case A.AlgAuthTrunc:
                    authTrunc = new XfrmKeyedAlgorithmView(v, AlgAuthKey, "XFRMA_ALG_AUTH_TRUNC");
                    break;
                case A.Encap:
                    encapsulated = true;
                    break;
            }
        }

        Aead = aead;
        Encryption = crypt;
        Integrity = authTrunc.IsPresent ? authTrunc : auth; // the kernel sends both; the truncated form is exact
        IsEncapsulated = encapsulated;
    }

    /// <summary>The SA's source address, network order (4 or 16 octets).</summary>
    public ReadOnlySpan<byte> SourceAddress { get; }

    /// <summary>The SA's destination address, network order (4 or 16 octets).</summary>
    public ReadOnlySpan<byte> DestinationAddress { get; }

    /// <summary>The SPI (host order).</summary>
    public uint Spi { get; }

    /// <summary>ESP, AH or IPComp.</summary>
    public XfrmProtocol Protocol { get; }

    /// <summary>Transport, tunnel, ...</summary>
    public XfrmMode Mode { get; }

    /// <summary>Whether the SA is encapsulated for NAT traversal (XFRMA_ENCAP: ESP in UDP, or in TCP).</summary>
    public bool IsEncapsulated { get; }

    /// <summary>XFRMA_ALG_AEAD, when the SA has it.</summary>
    public XfrmKeyedAlgorithmView Aead { get; }

    /// <summary>XFRMA_ALG_CRYPT, when the SA has it.</summary>
    public XfrmKeyedAlgorithmView Encryption { get; }

    /// <summary>XFRMA_ALG_AUTH_TRUNC (else XFRMA_ALG_AUTH), when the SA has it.</summary>
    public XfrmKeyedAlgorithmView Integrity { get; }
}
