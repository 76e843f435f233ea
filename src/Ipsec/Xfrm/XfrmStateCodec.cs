using System.Buffers.Binary;
using System.Net;
using CbbToolkit.Ipsec.Netlink;
using static CbbToolkit.Ipsec.Xfrm.XfrmLayout;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>xfrm_usersa_info with its attributes, both ways. Unknown attributes are skipped; known ones are length-checked.</summary>
internal static class XfrmStateCodec
{
    public static void Write(NetlinkWriter writer, XfrmState state)
    {
        WriteInfo(writer.Reserve(SaInfoSize), state);
        XfrmStateAttributeCodec.Write(writer, state);
    }

    public static void WriteInfo(Span<byte> s, XfrmState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        XfrmWire.CheckFamily(state.Source, state.Family, "SA source");
        XfrmWire.WriteSelector(s[SaSel..], state.Selector);
        WriteId(s[SaId..], state.Destination, state.Spi, state.Protocol);
        XfrmWire.WriteAddress(s[SaSaddr..], state.Source);
        XfrmWire.WriteLifetime(s[SaLft..], state.Lifetime);
        XfrmWire.WriteCurrent(s[SaCurLft..], state.Current);
        ArgumentNullException.ThrowIfNull(state.Statistics);
        BinaryPrimitives.WriteUInt32LittleEndian(s[SaStats..], state.Statistics.ReplayWindow);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(SaStats + 4)..], state.Statistics.Replay);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(SaStats + 8)..], state.Statistics.IntegrityFailed);
        BinaryPrimitives.WriteUInt32LittleEndian(s[SaSeq..], state.Sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(s[SaReqid..], state.RequestId);
        BinaryPrimitives.WriteUInt16LittleEndian(s[SaFamily..], XfrmWire.ToLinuxFamily(state.Family));
        s[SaMode] = (byte)state.Mode;
        s[SaReplayWindow] = state.ReplayWindow;
        s[SaFlags] = (byte)state.Flags;
    }

    /// <summary>struct xfrm_id (daddr, spi, proto).</summary>
    public static void WriteId(Span<byte> s, IPAddress destination, uint spi, XfrmProtocol protocol)
    {
        XfrmWire.WriteAddress(s[IdDaddr..], destination);
        BinaryPrimitives.WriteUInt32BigEndian(s[IdSpi..], spi);
        s[IdProto] = (byte)protocol;
    }

    /// <summary>struct xfrm_usersa_id, the key of GETSA and DELSA.</summary>
    public static void WriteSaId(Span<byte> s, IPAddress destination, uint spi, XfrmProtocol protocol)
    {
        XfrmWire.WriteAddress(s[SaIdDaddr..], destination);
        BinaryPrimitives.WriteUInt32BigEndian(s[SaIdSpi..], spi);
        BinaryPrimitives.WriteUInt16LittleEndian(s[SaIdFamily..], XfrmWire.ToLinuxFamily(destination.AddressFamily));
        s[SaIdProto] = (byte)protocol;
    }

    /// <summary>A NEWSA/UPDSA/GETSA reply or notification: xfrm_usersa_info then attributes.</summary>
    public static XfrmState ReadMessage(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < SaInfoSize)
        {
            NetlinkThrow.BadMessage($"an SA message of {payload.Length} octets (xfrm_usersa_info takes {SaInfoSize})");
        }

        return Read(payload[..SaInfoSize], payload[SaInfoSize..]);
    }

    public static XfrmState Read(ReadOnlySpan<byte> s, ReadOnlySpan<byte> attributes)
    {
        var family = BinaryPrimitives.ReadUInt16LittleEndian(s[SaFamily..]);
        _ = XfrmWire.FromLinuxFamily(family);
        var state = new XfrmState
        {
            Selector = XfrmWire.ReadSelector(s[SaSel..]),
            Destination = XfrmWire.ReadAddress(s[(SaId + IdDaddr)..], family),
            Spi = BinaryPrimitives.ReadUInt32BigEndian(s[(SaId + IdSpi)..]),
            Protocol = (XfrmProtocol)s[SaId + IdProto],
            Source = XfrmWire.ReadAddress(s[SaSaddr..], family),
            Lifetime = XfrmWire.ReadLifetime(s[SaLft..]),
            Current = XfrmWire.ReadCurrent(s[SaCurLft..]),
            Statistics = s.Slice(SaStats, StatsSize).IndexOfAnyExcept((byte)0) < 0 ? XfrmStatistics.Zero : new XfrmStatistics(
                BinaryPrimitives.ReadUInt32LittleEndian(s[SaStats..]),
                BinaryPrimitives.ReadUInt32LittleEndian(s[(SaStats + 4)..]),
                BinaryPrimitives.ReadUInt32LittleEndian(s[(SaStats + 8)..])),
            Sequence = BinaryPrimitives.ReadUInt32LittleEndian(s[SaSeq..]),
            RequestId = BinaryPrimitives.ReadUInt32LittleEndian(s[SaReqid..]),
            Mode = (XfrmMode)s[SaMode],
            ReplayWindow = s[SaReplayWindow],
            Flags = (XfrmStateFlags)s[SaFlags],
        };
        return XfrmStateAttributeCodec.Read(state, attributes, family);
    }
}
