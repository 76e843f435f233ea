using System.Buffers.Binary;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Netlink;
using static CbbToolkit.Ipsec.Xfrm.XfrmLayout;
using M = CbbToolkit.Ipsec.Xfrm.XfrmMessageType;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>Turns XFRM multicast messages into <see cref="XfrmEvent"/>s.</summary>
internal static class XfrmEventCodec
{
    public static XfrmEvent Read(ushort type, ReadOnlySpan<byte> payload) => type switch
    {
        M.NewSa => new XfrmStateEvent(XfrmChange.Added, XfrmStateCodec.ReadMessage(payload)),
        M.UpdateSa => new XfrmStateEvent(XfrmChange.Updated, XfrmStateCodec.ReadMessage(payload)),
        M.DeleteSa => new XfrmStateEvent(XfrmChange.Deleted, ReadDeletedState(payload)),
        M.NewPolicy => new XfrmPolicyEvent(XfrmChange.Added, XfrmPolicyCodec.ReadMessage(payload)),
        M.UpdatePolicy => new XfrmPolicyEvent(XfrmChange.Updated, XfrmPolicyCodec.ReadMessage(payload)),
        M.DeletePolicy => new XfrmPolicyEvent(XfrmChange.Deleted, ReadDeletedPolicy(payload)),
        M.Acquire => ReadAcquire(payload),
        M.Expire => ReadExpire(payload),
        M.PolicyExpire => ReadPolicyExpire(payload),
        M.FlushSa => new XfrmFlushEvent(false, payload.Length >= FlushSize ? (XfrmProtocol)payload[0] : XfrmProtocol.Any),
        M.FlushPolicy => new XfrmFlushEvent(true, null),
        _ => new XfrmOtherEvent(type),
    };

    private static XfrmAcquireEvent ReadAcquire(ReadOnlySpan<byte> payload)
    {
        Need(payload, AcquireSize, "ACQUIRE");
        var policy = XfrmPolicyCodec.Read(payload.Slice(AcqPolicy, PolicyInfoSize), payload[AcquireSize..]);
        var selector = XfrmWire.ReadSelector(payload[AcqSel..]);

        // The SA addresses have the template's family (which may differ from the selector's in a tunnel).
        var family = XfrmWire.ToLinuxFamily(policy.Templates.Count > 0 ? policy.Templates[0].Family : selector.Family);
        return new XfrmAcquireEvent(
            selector,
            XfrmWire.ReadAddress(payload[(AcqId + IdDaddr)..], family),
            XfrmWire.ReadAddress(payload[AcqSaddr..], family),
            (XfrmProtocol)payload[AcqId + IdProto],
            BinaryPrimitives.ReadUInt32LittleEndian(payload[AcqSeq..]),
            policy);
    }

    private static XfrmExpireEvent ReadExpire(ReadOnlySpan<byte> payload)
    {
        Need(payload, ExpireSize, "EXPIRE");
        return new XfrmExpireEvent(XfrmStateCodec.Read(payload[..SaInfoSize], payload[ExpireSize..]), payload[ExpireHard] != 0);
    }

    private static XfrmPolicyExpireEvent ReadPolicyExpire(ReadOnlySpan<byte> payload)
    {
        Need(payload, PolicyExpireSize, "POLEXPIRE");
        return new XfrmPolicyExpireEvent(
            XfrmPolicyCodec.Read(payload[..PolicyInfoSize], payload[PolicyExpireSize..]), payload[PolicyExpireHard] != 0);
    }

    /// <summary>DELSA carries xfrm_usersa_id, then the whole SA in XFRMA_SA next to its other attributes.</summary>
    private static XfrmState ReadDeletedState(ReadOnlySpan<byte> payload)
    {
        Need(payload, SaIdSize, "DELSA");
        var attributes = payload[SaIdSize..];
        if (Find(attributes, XfrmAttributeType.Sa, out var info))
        {
            Need(info, SaInfoSize, "XFRMA_SA");
            return XfrmStateCodec.Read(info, attributes);
        }

        var family = BinaryPrimitives.ReadUInt16LittleEndian(payload[SaIdFamily..]);
        var any = XfrmWire.FromLinuxFamily(family) == AddressFamily.InterNetwork ? System.Net.IPAddress.Any : System.Net.IPAddress.IPv6Any;
        return new XfrmState
        {
            Destination = XfrmWire.ReadAddress(payload[SaIdDaddr..], family),
            Spi = BinaryPrimitives.ReadUInt32BigEndian(payload[SaIdSpi..]),
            Protocol = (XfrmProtocol)payload[SaIdProto],
            Source = any,
        };
    }

    /// <summary>DELPOLICY carries xfrm_userpolicy_id, then the whole policy in XFRMA_POLICY next to its templates.</summary>
    private static XfrmPolicy ReadDeletedPolicy(ReadOnlySpan<byte> payload)
    {
        Need(payload, PolicyIdSize, "DELPOLICY");
        var attributes = payload[PolicyIdSize..];
        if (Find(attributes, XfrmAttributeType.Policy, out var info))
        {
            Need(info, PolicyInfoSize, "XFRMA_POLICY");
            return XfrmPolicyCodec.Read(info, attributes);
        }

        return XfrmPolicyCodec.Read(stackalloc byte[PolicyInfoSize], attributes) with
        {
            Selector = XfrmWire.ReadSelector(payload[PolIdSel..]),
            Index = BinaryPrimitives.ReadUInt32LittleEndian(payload[PolIdIndex..]),
            Direction = (XfrmPolicyDirection)payload[PolIdDir],
        };
    }

    private static bool Find(ReadOnlySpan<byte> attributes, ushort wanted, out ReadOnlySpan<byte> value)
    {
        var reader = new NetlinkAttributeReader(attributes);
        while (reader.TryRead(out var type, out value))
        {
            if (type == wanted)
            {
                return true;
            }
        }

        value = default;
        return false;
    }

    private static void Need(ReadOnlySpan<byte> payload, int length, string what)
    {
        if (payload.Length < length)
        {
            NetlinkThrow.BadMessage($"{what} payload of {payload.Length} octets (needs {length})");
        }
    }
}
