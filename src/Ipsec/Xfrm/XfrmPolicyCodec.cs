using System.Buffers.Binary;
using CbbToolkit.Ipsec.Netlink;
using static CbbToolkit.Ipsec.Xfrm.XfrmLayout;
using A = CbbToolkit.Ipsec.Xfrm.XfrmAttributeType;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>xfrm_userpolicy_info with XFRMA_TMPL and the other policy attributes, both ways; and the socket-option form.</summary>
internal static class XfrmPolicyCodec
{
    /// <summary>The most templates a policy can carry (XFRM_MAX_DEPTH).</summary>
    public const int MaxTemplates = 6;

    public static void Write(NetlinkWriter w, XfrmPolicy policy)
    {
        WriteInfo(w.Reserve(PolicyInfoSize), policy);
        WriteAttributes(w, policy);
    }

    public static void WriteAttributes(NetlinkWriter w, XfrmPolicy policy)
    {
        if (policy.Templates.Count > 0)
        {
            var token = w.BeginAttribute(A.Template);
            WriteTemplates(w.Reserve(policy.Templates.Count * TemplateSize), policy.Templates);
            w.EndAttribute(token);
        }

        XfrmCommonAttributes.WriteMark(w, policy.Mark);
        if (policy.InterfaceId is { } ifId)
        {
            w.WriteAttributeUInt32(A.InterfaceId, ifId);
        }

        WritePolicyType(w, policy.Type);
    }

    public static void WritePolicyType(NetlinkWriter w, XfrmPolicyType type)
    {
        if (type != XfrmPolicyType.Main)
        {
            var token = w.BeginAttribute(A.PolicyType);
            w.Reserve(PolicyTypeSize)[0] = (byte)type;
            w.EndAttribute(token);
        }
    }

    /// <summary>The value of setsockopt(IP_XFRM_POLICY / IPV6_XFRM_POLICY): the info followed directly by the templates.</summary>
    public static byte[] EncodeSocketPolicy(XfrmPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var bytes = new byte[PolicyInfoSize + (policy.Templates.Count * TemplateSize)];
        WriteInfo(bytes, policy);
        WriteTemplates(bytes.AsSpan(PolicyInfoSize), policy.Templates);
        return bytes;
    }

    public static void WriteInfo(Span<byte> s, XfrmPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(policy.Templates);
        if (policy.Templates.Count > MaxTemplates)
        {
            throw XfrmWire.Invalid($"{policy.Templates.Count} templates (the kernel takes at most {MaxTemplates})");
        }

        XfrmWire.WriteSelector(s[PolSel..], policy.Selector);
        XfrmWire.WriteLifetime(s[PolLft..], policy.Lifetime);
        XfrmWire.WriteCurrent(s[PolCurLft..], policy.Current);
        BinaryPrimitives.WriteUInt32LittleEndian(s[PolPriority..], policy.Priority);
        BinaryPrimitives.WriteUInt32LittleEndian(s[PolIndex..], policy.Index);
        s[PolDir] = (byte)policy.Direction;
        s[PolAction] = (byte)policy.Action;
        s[PolFlags] = (byte)policy.Flags;
        s[PolShare] = policy.Share;
    }

    public static void WriteTemplates(Span<byte> s, IReadOnlyList<XfrmTemplate> templates)
    {
        for (var i = 0; i < templates.Count; i++)
        {
            var t = templates[i] ?? throw XfrmWire.Invalid($"template {i} is null");
            var d = s.Slice(i * TemplateSize, TemplateSize);
            XfrmWire.CheckFamily(t.Source, t.Family, $"template {i} source");
            XfrmStateCodec.WriteId(d[TmplId..], t.Destination, t.Spi, t.Protocol);
            BinaryPrimitives.WriteUInt16LittleEndian(d[TmplFamily..], XfrmWire.ToLinuxFamily(t.Family));
            XfrmWire.WriteAddress(d[TmplSaddr..], t.Source);
            BinaryPrimitives.WriteUInt32LittleEndian(d[TmplReqid..], t.RequestId);
            d[TmplMode] = (byte)t.Mode;
            d[TmplShare] = t.Share;
            d[TmplOptional] = t.IsOptional ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteUInt32LittleEndian(d[TmplAalgos..], t.AuthenticationAlgorithms);
            BinaryPrimitives.WriteUInt32LittleEndian(d[TmplEalgos..], t.EncryptionAlgorithms);
            BinaryPrimitives.WriteUInt32LittleEndian(d[TmplCalgos..], t.CompressionAlgorithms);
        }
    }

    /// <summary>struct xfrm_userpolicy_id, the key of GETPOLICY and DELPOLICY (by selector when index is 0).</summary>
    public static void WritePolicyId(Span<byte> s, XfrmSelector selector, uint index, XfrmPolicyDirection direction)
    {
        XfrmWire.WriteSelector(s[PolIdSel..], selector);
        BinaryPrimitives.WriteUInt32LittleEndian(s[PolIdIndex..], index);
        s[PolIdDir] = (byte)direction;
    }

    /// <summary>A NEWPOLICY/UPDPOLICY/GETPOLICY reply or notification: xfrm_userpolicy_info then attributes.</summary>
    public static XfrmPolicy ReadMessage(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < PolicyInfoSize)
        {
            NetlinkThrow.BadMessage($"a policy message of {payload.Length} octets (xfrm_userpolicy_info takes {PolicyInfoSize})");
        }

        return Read(payload[..PolicyInfoSize], payload[PolicyInfoSize..]);
    }

    public static XfrmPolicy Read(ReadOnlySpan<byte> s, ReadOnlySpan<byte> attributes)
    {
        IReadOnlyList<XfrmTemplate> templates = [];
        XfrmMark? mark = null;
        uint? ifId = null;
        var type = XfrmPolicyType.Main;
        var reader = new NetlinkAttributeReader(attributes);
        while (reader.TryRead(out var attributeType, out var v))
        {
            switch (attributeType)
            {
                case A.Template:
                    templates = ReadTemplates(v);
                    break;
                case A.Mark:
                    mark = XfrmCommonAttributes.ReadMark(v);
                    break;
                case A.InterfaceId:
                    ifId = XfrmCommonAttributes.ReadUInt32(v, "XFRMA_IF_ID");
                    break;
                case A.PolicyType:
                    if (v.Length < 1)
                    {
                        NetlinkThrow.BadMessage("an empty XFRMA_POLICY_TYPE");
                    }

                    type = (XfrmPolicyType)v[0];
                    break;
            }
        }

        return new XfrmPolicy
        {
            Selector = XfrmWire.ReadSelector(s[PolSel..]),
            Lifetime = XfrmWire.ReadLifetime(s[PolLft..]),
            Current = XfrmWire.ReadCurrent(s[PolCurLft..]),
            Priority = BinaryPrimitives.ReadUInt32LittleEndian(s[PolPriority..]),
            Index = BinaryPrimitives.ReadUInt32LittleEndian(s[PolIndex..]),
            Direction = (XfrmPolicyDirection)s[PolDir],
            Action = (XfrmPolicyAction)s[PolAction],
            Flags = (XfrmPolicyFlags)s[PolFlags],
            Share = s[PolShare],
            Templates = templates,
            Mark = mark,
            InterfaceId = ifId,
            Type = type,
        };
    }

    public static XfrmTemplate[] ReadTemplates(ReadOnlySpan<byte> v)
    {
        if (v.Length % TemplateSize != 0 || v.Length / TemplateSize > MaxTemplates)
        {
            NetlinkThrow.BadMessage($"XFRMA_TMPL of {v.Length} octets (a multiple of {TemplateSize}, at most {MaxTemplates})");
        }

        var templates = new XfrmTemplate[v.Length / TemplateSize];
        for (var i = 0; i < templates.Length; i++)
        {
            var t = v.Slice(i * TemplateSize, TemplateSize);
            var family = BinaryPrimitives.ReadUInt16LittleEndian(t[TmplFamily..]);
            _ = XfrmWire.FromLinuxFamily(family);
            templates[i] = new XfrmTemplate
            {
                Destination = XfrmWire.ReadAddress(t[(TmplId + IdDaddr)..], family),
                Spi = BinaryPrimitives.ReadUInt32BigEndian(t[(TmplId + IdSpi)..]),
                Protocol = (XfrmProtocol)t[TmplId + IdProto],
                Source = XfrmWire.ReadAddress(t[TmplSaddr..], family),
                RequestId = BinaryPrimitives.ReadUInt32LittleEndian(t[TmplReqid..]),
                Mode = (XfrmMode)t[TmplMode],
                Share = t[TmplShare],
                IsOptional = t[TmplOptional] != 0,
                AuthenticationAlgorithms = BinaryPrimitives.ReadUInt32LittleEndian(t[TmplAalgos..]),
                EncryptionAlgorithms = BinaryPrimitives.ReadUInt32LittleEndian(t[TmplEalgos..]),
                CompressionAlgorithms = BinaryPrimitives.ReadUInt32LittleEndian(t[TmplCalgos..]),
            };
        }

        return templates;
    }
}
