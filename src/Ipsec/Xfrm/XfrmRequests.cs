using System.Net;
using CbbToolkit.Ipsec.Netlink;
using static CbbToolkit.Ipsec.Xfrm.XfrmLayout;
using F = CbbToolkit.Ipsec.Netlink.NetlinkMessageFlags;
using M = CbbToolkit.Ipsec.Xfrm.XfrmMessageType;

namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>
/// Builds complete XFRM request messages (header, fixed part, attributes) without any I/O, so their exact bytes can
/// be compared with what <c>ip xfrm</c> sends for the same request.
/// </summary>
internal static class XfrmRequests
{
    public static NetlinkWriter Dump(ushort type, uint sequence) => Finish(Begin(type, F.Request | F.Dump, sequence));

    public static NetlinkWriter GetState(IPAddress destination, uint spi, XfrmProtocol protocol, uint sequence)
    {
        var w = Begin(M.GetSa, F.Request, sequence);
        XfrmStateCodec.WriteSaId(w.Reserve(SaIdSize), destination, spi, protocol);
        return Finish(w);
    }

    /// <summary>
    /// Two GETSA requests in one buffer, for one sendmsg: each message is padded to the netlink alignment and carries its
    /// own sequence number, so the replies can be matched to them.
    /// </summary>
    public static NetlinkWriter GetStatePair(
        (IPAddress Destination, uint Spi, XfrmProtocol Protocol) first, uint firstSequence,
        (IPAddress Destination, uint Spi, XfrmProtocol Protocol) second, uint secondSequence)
    {
        if (firstSequence == secondSequence)
        {
            throw new ArgumentException("The two requests need distinct sequence numbers.", nameof(secondSequence));
        }

        var w = new NetlinkWriter();
        foreach (var (sa, sequence) in new[] { (first, firstSequence), (second, secondSequence) })
        {
            var token = w.BeginMessage(M.GetSa, F.Request, sequence);
            XfrmStateCodec.WriteSaId(w.Reserve(SaIdSize), sa.Destination, sa.Spi, sa.Protocol);
            w.EndMessage(token);
        }

        return w;
    }

    /// <summary>NEWSA or UPDSA.</summary>
    public static NetlinkWriter ChangeState(ushort type, XfrmState state, uint sequence)
    {
        var w = Begin(type, F.Request | F.Ack, sequence);
        XfrmStateCodec.Write(w, state);
        return Finish(w);
    }

    public static NetlinkWriter DeleteState(IPAddress destination, uint spi, XfrmProtocol protocol, XfrmMark? mark, uint sequence)
    {
        var w = Begin(M.DeleteSa, F.Request | F.Ack, sequence);
        XfrmStateCodec.WriteSaId(w.Reserve(SaIdSize), destination, spi, protocol);
        XfrmCommonAttributes.WriteMark(w, mark);
        return Finish(w);
    }

    public static NetlinkWriter FlushStates(XfrmProtocol protocol, uint sequence)
    {
        var w = Begin(M.FlushSa, F.Request | F.Ack, sequence);
        w.Reserve(FlushSize)[0] = (byte)protocol;
        return Finish(w);
    }

    public static NetlinkWriter GetPolicy(XfrmSelector selector, uint index, XfrmPolicyDirection direction, uint sequence)
    {
        var w = Begin(M.GetPolicy, F.Request, sequence);
        XfrmPolicyCodec.WritePolicyId(w.Reserve(PolicyIdSize), selector, index, direction);
        return Finish(w);
    }

    /// <summary>NEWPOLICY or UPDPOLICY.</summary>
    public static NetlinkWriter ChangePolicy(ushort type, XfrmPolicy policy, uint sequence)
    {
        var w = Begin(type, F.Request | F.Ack, sequence);
        XfrmPolicyCodec.Write(w, policy);
        return Finish(w);
    }

    /// <summary>By index when the policy has one, else by selector and direction; mark, if_id and type narrow it.</summary>
    public static NetlinkWriter DeletePolicy(XfrmPolicy policy, uint sequence)
    {
        var w = Begin(M.DeletePolicy, F.Request | F.Ack, sequence);
        XfrmPolicyCodec.WritePolicyId(w.Reserve(PolicyIdSize), policy.Selector, policy.Index, policy.Direction);
        XfrmCommonAttributes.WriteMark(w, policy.Mark);
        if (policy.InterfaceId is { } ifId)
        {
            w.WriteAttributeUInt32(XfrmAttributeType.InterfaceId, ifId);
        }

        XfrmPolicyCodec.WritePolicyType(w, policy.Type);
        return Finish(w);
    }

    public static NetlinkWriter FlushPolicies(uint sequence) => Finish(Begin(M.FlushPolicy, F.Request | F.Ack, sequence));

    private static NetlinkWriter Begin(ushort type, NetlinkMessageFlags flags, uint sequence)
    {
        var w = new NetlinkWriter();
        _ = w.BeginMessage(type, flags, sequence);
        return w;
    }

    private static NetlinkWriter Finish(NetlinkWriter w)
    {
        w.EndMessage(0);
        return w;
    }
}
