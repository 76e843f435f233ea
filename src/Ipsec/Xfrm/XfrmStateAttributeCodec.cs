using System.Buffers.Binary;
using CbbToolkit.Ipsec.Netlink;
using static CbbToolkit.Ipsec.Xfrm.XfrmLayout;
using A = CbbToolkit.Ipsec.Xfrm.XfrmAttributeType;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>The attributes that follow xfrm_usersa_info: algorithms, encapsulation, marks, replay state and the rest.</summary>
internal static class XfrmStateAttributeCodec
{
    public static void Write(NetlinkWriter w, XfrmState state)
    {
        if (state.Aead is { } aead)
        {
            WriteAlgorithm(w, A.AlgAead, aead.Name, aead.Key, aead.IcvBits);
        }

        if (state.Encryption is { } crypt)
        {
            WriteAlgorithm(w, A.AlgCrypt, crypt.Name, crypt.Key, null);
        }

        if (state.Authentication is { } auth)
        {
            WriteAlgorithm(w, auth.TruncationBits is null ? A.AlgAuth : A.AlgAuthTrunc, auth.Name, auth.Key, auth.TruncationBits);
        }

        if (state.Compression is { } comp)
        {
            WriteAlgorithm(w, A.AlgComp, comp.Name, comp.Key, null);
        }

        if (state.Encapsulation is { } encap)
        {
            var token = w.BeginAttribute(A.Encap);
            var s = w.Reserve(EncapSize);
            BinaryPrimitives.WriteUInt16LittleEndian(s[EncapType..], (ushort)encap.Type);
            BinaryPrimitives.WriteUInt16BigEndian(s[EncapSport..], encap.SourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(s[EncapDport..], encap.DestinationPort);
            XfrmWire.WriteAddress(s[EncapOa..], encap.OriginalAddress);
            w.EndAttribute(token);
        }

        XfrmCommonAttributes.WriteMark(w, state.Mark);
        WriteOptional(w, A.InterfaceId, state.InterfaceId);
        WriteOptional(w, A.SaExtraFlags, state.ExtraFlags);
        WriteOptional(w, A.SetMark, state.OutputMark);
        WriteOptional(w, A.SetMarkMask, state.OutputMarkMask);
        WriteOptional(w, A.TfcPadding, state.TfcPadding);
        if (state.Replay is { } replay)
        {
            var token = w.BeginAttribute(A.ReplayValue);
            var s = w.Reserve(ReplaySize);
            BinaryPrimitives.WriteUInt32LittleEndian(s, replay.OutboundSequence);
            BinaryPrimitives.WriteUInt32LittleEndian(s[4..], replay.InboundSequence);
            BinaryPrimitives.WriteUInt32LittleEndian(s[8..], replay.Bitmap);
            w.EndAttribute(token);
        }

        if (state.ReplayEsn is { } esn)
        {
            WriteReplayEsn(w, esn);
        }

        if (state.Direction is { } direction)
        {
            w.WriteAttribute(A.SaDirection, [(byte)direction]);
        }
    }

    public static XfrmState Read(XfrmState state, ReadOnlySpan<byte> attributes, ushort family)
    {
        XfrmAeadAlgorithm? aead = null;
        XfrmAlgorithm? crypt = null, comp = null;
        XfrmAuthenticationAlgorithm? auth = null, authTrunc = null;
        XfrmEncapsulation? encap = null;
        XfrmMark? mark = null;
        uint? ifId = null, extra = null, setMark = null, setMarkMask = null, tfc = null;
        ulong? lastUsed = null;
        XfrmReplayState? replay = null;
        XfrmReplayStateEsn? esn = null;
        XfrmSaDirection? direction = null;

        var reader = new NetlinkAttributeReader(attributes);
        while (reader.TryRead(out var type, out var v))
        {
            switch (type)
            {
                case A.AlgAead:
                    var (aeadName, aeadKey, icv) = ReadAlgorithm(v, AlgAeadKey, "XFRMA_ALG_AEAD");
                    aead = new XfrmAeadAlgorithm(aeadName, aeadKey, icv);
                    break;
                case A.AlgCrypt:
                    var (cryptName, cryptKey, _) = ReadAlgorithm(v, AlgKey, "XFRMA_ALG_CRYPT");
                    crypt = new XfrmAlgorithm(cryptName, cryptKey);
                    break;
                case A.AlgComp:
                    var (compName, compKey, _) = ReadAlgorithm(v, AlgKey, "XFRMA_ALG_COMP");
                    comp = new XfrmAlgorithm(compName, compKey);
                    break;
                case A.AlgAuth:
                    var (authName, authKey, _) = ReadAlgorithm(v, AlgKey, "XFRMA_ALG_AUTH");
                    auth = new XfrmAuthenticationAlgorithm(authName, authKey, null);
                    break;
                case A.AlgAuthTrunc:
                    var (truncName, truncKey, trunc) = ReadAlgorithm(v, AlgAuthKey, "XFRMA_ALG_AUTH_TRUNC");
                    authTrunc = new XfrmAuthenticationAlgorithm(truncName, truncKey, trunc);
                    break;
                case A.Encap:
                    Need(v, EncapSize, "XFRMA_ENCAP");
                    encap = new XfrmEncapsulation(
                        (XfrmEncapsulationType)BinaryPrimitives.ReadUInt16LittleEndian(v[EncapType..]),
                        BinaryPrimitives.ReadUInt16BigEndian(v[EncapSport..]),
                        BinaryPrimitives.ReadUInt16BigEndian(v[EncapDport..]),
                        XfrmWire.ReadAddress(v[EncapOa..], family));
                    break;
                case A.Mark:
                    mark = XfrmCommonAttributes.ReadMark(v);
                    break;
                case A.InterfaceId:
                    ifId = ReadUInt32(v, "XFRMA_IF_ID");
                    break;
                case A.SaExtraFlags:
                    extra = ReadUInt32(v, "XFRMA_SA_EXTRA_FLAGS");
                    break;
                case A.SetMark:
                    setMark = ReadUInt32(v, "XFRMA_SET_MARK");
                    break;
                case A.SetMarkMask:
                    setMarkMask = ReadUInt32(v, "XFRMA_SET_MARK_MASK");
                    break;
                case A.TfcPadding:
                    tfc = ReadUInt32(v, "XFRMA_TFCPAD");
                    break;
                case A.LastUsed:
                    Need(v, 8, "XFRMA_LASTUSED");
                    lastUsed = BinaryPrimitives.ReadUInt64LittleEndian(v);
                    break;
                case A.ReplayValue:
                    Need(v, ReplaySize, "XFRMA_REPLAY_VAL");
                    replay = new XfrmReplayState(
                        BinaryPrimitives.ReadUInt32LittleEndian(v),
                        BinaryPrimitives.ReadUInt32LittleEndian(v[4..]),
                        BinaryPrimitives.ReadUInt32LittleEndian(v[8..]));
                    break;
                case A.ReplayEsnValue:
                    esn = ReadReplayEsn(v);
                    break;
                case A.SaDirection:
                    Need(v, 1, "XFRMA_SA_DIR");
                    direction = (XfrmSaDirection)v[0];
                    break;
            }
        }

        return state with
        {
            Aead = aead,
            Encryption = crypt,
            Authentication = authTrunc ?? auth, // the kernel sends both for compatibility; the truncated form is exact
            Compression = comp,
            Encapsulation = encap,
            Mark = mark,
            InterfaceId = ifId,
            ExtraFlags = extra,
            OutputMark = setMark,
            OutputMarkMask = setMarkMask,
            TfcPadding = tfc,
            LastUsed = lastUsed,
            Replay = replay,
            ReplayEsn = esn,
            Direction = direction,
        };
    }

    private static void WriteAlgorithm(NetlinkWriter w, ushort type, string name, XfrmKey key, uint? extra)
    {
        ArgumentNullException.ThrowIfNull(key);
        var keyOffset = extra is null ? AlgKey : AlgAuthKey;
        var token = w.BeginAttribute(type);
        var s = w.Reserve(keyOffset + key.Length);
        XfrmWire.WriteName(s, name);
        BinaryPrimitives.WriteUInt32LittleEndian(s[AlgKeyLen..], (uint)key.BitLength);
        if (extra is { } bits)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(s[AlgAuthTruncLen..], bits);
        }

        key.Span.CopyTo(s[keyOffset..]);
        w.EndAttribute(token);
    }

    private static (string Name, XfrmKey Key, uint Extra) ReadAlgorithm(ReadOnlySpan<byte> v, int keyOffset, string what)
    {
        Need(v, keyOffset, what);
        var bits = BinaryPrimitives.ReadUInt32LittleEndian(v[AlgKeyLen..]);
        var octets = (bits + 7) / 8;
        if (octets > (uint)(v.Length - keyOffset))
        {
            NetlinkThrow.BadMessage($"{what} claims a {bits}-bit key in {v.Length - keyOffset} octets");
        }

        var extra = keyOffset == AlgAuthKey ? BinaryPrimitives.ReadUInt32LittleEndian(v[AlgAuthTruncLen..]) : 0;
        return (XfrmWire.ReadName(v), new XfrmKey(v.Slice(keyOffset, (int)octets), (int)bits), extra);
    }

    private static void WriteReplayEsn(NetlinkWriter w, XfrmReplayStateEsn esn)
    {
        ArgumentNullException.ThrowIfNull(esn.Bitmap);
        if (esn.Bitmap.Count > ReplayEsnMaxBitmapWords)
        {
            throw XfrmWire.Invalid($"an ESN replay bitmap of {esn.Bitmap.Count} words (at most {ReplayEsnMaxBitmapWords})");
        }

        var token = w.BeginAttribute(A.ReplayEsnValue);
        var s = w.Reserve(ReplayEsnHeaderSize + (esn.Bitmap.Count * 4));
        BinaryPrimitives.WriteUInt32LittleEndian(s, (uint)esn.Bitmap.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], esn.OutboundSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], esn.InboundSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], esn.OutboundSequenceHigh);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], esn.InboundSequenceHigh);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], esn.ReplayWindow);
        for (var i = 0; i < esn.Bitmap.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(s[(ReplayEsnHeaderSize + (i * 4))..], esn.Bitmap[i]);
        }

        w.EndAttribute(token);
    }

    private static XfrmReplayStateEsn ReadReplayEsn(ReadOnlySpan<byte> v)
    {
        Need(v, ReplayEsnHeaderSize, "XFRMA_REPLAY_ESN_VAL");
        var words = BinaryPrimitives.ReadUInt32LittleEndian(v);
        if (words > ReplayEsnMaxBitmapWords || ReplayEsnHeaderSize + (words * 4) > (uint)v.Length)
        {
            NetlinkThrow.BadMessage($"XFRMA_REPLAY_ESN_VAL claims {words} bitmap words in {v.Length} octets");
        }

        var bitmap = new uint[words];
        for (var i = 0; i < bitmap.Length; i++)
        {
            bitmap[i] = BinaryPrimitives.ReadUInt32LittleEndian(v[(ReplayEsnHeaderSize + (i * 4))..]);
        }

        return new XfrmReplayStateEsn
        {
            OutboundSequence = BinaryPrimitives.ReadUInt32LittleEndian(v[4..]),
            InboundSequence = BinaryPrimitives.ReadUInt32LittleEndian(v[8..]),
            OutboundSequenceHigh = BinaryPrimitives.ReadUInt32LittleEndian(v[12..]),
            InboundSequenceHigh = BinaryPrimitives.ReadUInt32LittleEndian(v[16..]),
            ReplayWindow = BinaryPrimitives.ReadUInt32LittleEndian(v[20..]),
            Bitmap = bitmap,
        };
    }

    private static void WriteOptional(NetlinkWriter w, ushort type, uint? value)
    {
        if (value is { } v)
        {
            w.WriteAttributeUInt32(type, v);
        }
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> v, string what)
    {
        Need(v, 4, what);
        return BinaryPrimitives.ReadUInt32LittleEndian(v);
    }

    private static void Need(ReadOnlySpan<byte> v, int length, string what)
    {
        if (v.Length < length)
        {
            NetlinkThrow.BadMessage($"{what} of {v.Length} octets (needs {length})");
        }
    }
}
