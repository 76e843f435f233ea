using System.Globalization;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Resolution.Matching;

/// <summary>
/// "Which SA pair protects this flow": per direction, the policy the kernel applies (a socket policy first, then the
/// SPD by priority), then each of its templates to an SA (<see cref="SaSearch"/>). Anything the kernel would decide
/// from facts the resolver cannot see ends as <see cref="IpsecNotProtectedReason.Ambiguous"/>: fail closed.
/// </summary>
internal static class ChannelMatcher
{
    public static IpsecChannelResolution Resolve(XfrmSnapshot snapshot, IpsecFlow flow, IpsecSocketPolicies? socketPolicies)
    {
        var outFlow = FlowKey.Outbound(flow);
        var inFlow = FlowKey.Inbound(flow);
        var outbound = ResolveDirection(snapshot, flow, outFlow, outbound: true, socketPolicies?.Outbound);
        if (outbound.Failure is not null)
        {
            return outbound.Failure;
        }

        var inbound = ResolveDirection(snapshot, flow, inFlow, outbound: false, socketPolicies?.Inbound);
        if (inbound.Failure is not null)
        {
            return inbound.Failure;
        }

        var outSa = outbound.Bundle![outbound.Primary];
        var inSa = inbound.Bundle![inbound.Primary];
        var narrowed = new CompiledSelector(outSa.Selector).IsNarrowedTo(outFlow) && new CompiledSelector(inSa.Selector).IsNarrowedTo(inFlow);
        var channel = new IpsecChannel(flow, outSa, inSa, outbound.Bundle, inbound.Bundle, outbound.Policy!, inbound.Policy!, !narrowed);
        return IpsecChannelResolution.Protected(channel);
    }

    private static Direction ResolveDirection(XfrmSnapshot snapshot, IpsecFlow flow, in FlowKey key, bool outbound, XfrmPolicy? socketPolicy)
    {
        var name = outbound ? "outbound" : "inbound";
        XfrmPolicy? policy = null;
        if (socketPolicy is not null)
        {
            var socket = new CachedPolicy(socketPolicy);
            if (socket.Selector.Width != 0 && socket.Selector.Matches(key))
            {
                if (socket.IsUncertain)
                {
                    return Fail(flow, IpsecNotProtectedReason.Ambiguous,
                        $"the socket's {name} policy depends on a mark, interface or xfrm interface the resolver cannot see");
                }

                policy = socketPolicy;
            }
        }

        if (policy is null)
        {
            var table = outbound ? snapshot.Outbound : snapshot.Inbound;
            var best = table.Find(key, out var conflict);
            if (conflict is not null)
            {
                return Fail(flow, IpsecNotProtectedReason.Ambiguous,
                    $"{Describe(conflict.Policy)} could apply instead of {(best is null ? "no policy" : Describe(best.Policy))}"
                    + (conflict.IsUncertain ? " (it depends on a mark, interface, xfrm interface or sub-policy the resolver cannot see)" : " (same priority, different templates)"));
            }

            if (best is null)
            {
                return Fail(flow, IpsecNotProtectedReason.NoPolicy, $"no {name} policy covers the flow");
            }

            policy = best.Policy;
        }

        if (policy.Action == XfrmPolicyAction.Block)
        {
            return Fail(flow, IpsecNotProtectedReason.Blocked, $"{Describe(policy)} blocks the flow");
        }

        if (policy.Templates.Count == 0)
        {
            return Fail(flow, IpsecNotProtectedReason.ClearTextAllowed, $"{Describe(policy)} allows the flow in clear (no templates)");
        }

        return ResolveTemplates(snapshot, flow, key, outbound, policy);
    }

    private static Direction ResolveTemplates(XfrmSnapshot snapshot, IpsecFlow flow, in FlowKey key, bool outbound, XfrmPolicy policy)
    {
        var name = outbound ? "outbound" : "inbound";
        var bundle = new List<IpsecSaInfo>(policy.Templates.Count);
        var primary = -1;
        var optionalProtection = false;
        for (var i = 0; i < policy.Templates.Count; i++)
        {
            var template = policy.Templates[i];
            var outcome = outbound
                ? SaSearch.FindOutbound(snapshot, template, key, out var sa, out var detail)
                : SaSearch.FindInbound(snapshot, template, key, out sa, out detail);
            if (outcome == SaSearch.Outcome.Ambiguous)
            {
                return Fail(flow, IpsecNotProtectedReason.Ambiguous, $"{Describe(policy)} template {Describe(template)}: {detail}");
            }

            var protects = template.Protocol is XfrmProtocol.Esp or XfrmProtocol.Ah;
            if (template.IsOptional && protects)
            {
                // "level use": outbound the kernel sends in clear when the SA is missing; inbound it always accepts clear.
                optionalProtection = true;
            }

            if (sa is null)
            {
                if (template.IsOptional)
                {
                    continue;
                }

                return Fail(flow, IpsecNotProtectedReason.PolicyWithoutSa,
                    $"{Describe(policy)} requires {Describe(template)} and the kernel holds no matching {name} SA{detail}");
            }

            bundle.Add(sa.Info);
            var enforced = protects && !(template.IsOptional && !outbound);
            if (enforced && (primary < 0 || (sa.Info.Protocol == XfrmProtocol.Esp && bundle[primary].Protocol != XfrmProtocol.Esp)))
            {
                primary = bundle.Count - 1;
            }
        }

        if (primary < 0)
        {
            return Fail(flow, IpsecNotProtectedReason.ClearTextAllowed, optionalProtection
                ? $"{Describe(policy)} makes IPsec optional (level use): {(outbound ? "no SA is there, so the kernel sends in clear" : "the kernel accepts clear packets")}"
                : $"{Describe(policy)} asks for no ESP or AH transform");
        }

        return new Direction(null, policy, bundle, primary);
    }

    private static Direction Fail(IpsecFlow flow, IpsecNotProtectedReason reason, string message) =>
        new(IpsecChannelResolution.NotProtected(flow, reason, message), null, null, -1);

    internal static string Describe(XfrmPolicy p)
    {
        var s = p.Selector;
        var dir = p.Direction switch
        {
            XfrmPolicyDirection.In => "in",
            XfrmPolicyDirection.Out => "out",
            XfrmPolicyDirection.Forward => "fwd",
            XfrmPolicyDirection.SocketIn => "socket-in",
            XfrmPolicyDirection.SocketOut => "socket-out",
            _ => p.Direction.ToString(),
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"{dir} policy {s.Source}/{s.SourcePrefixLength} -> {s.Destination}/{s.DestinationPrefixLength} {IpsecFlow.ProtocolName(s.Protocol)}{Port(s.SourcePort, s.SourcePortMask, " sport ")}{Port(s.DestinationPort, s.DestinationPortMask, " dport ")} priority {p.Priority} index {p.Index}");
    }

    private static string Describe(XfrmTemplate t) => string.Create(CultureInfo.InvariantCulture,
        $"{t.Protocol.ToString().ToLowerInvariant()}/{t.Mode.ToString().ToLowerInvariant()} reqid {t.RequestId}{(t.Mode == XfrmMode.Transport ? string.Empty : $" {t.Source} -> {t.Destination}")}");

    private static string Port(ushort port, ushort mask, string label) =>
        mask == 0 ? string.Empty : label + port.ToString(CultureInfo.InvariantCulture) + (mask == ushort.MaxValue ? string.Empty : "/0x" + mask.ToString("x4", CultureInfo.InvariantCulture));

    private readonly record struct Direction(IpsecChannelResolution? Failure, XfrmPolicy? Policy, List<IpsecSaInfo>? Bundle, int Primary);
}
