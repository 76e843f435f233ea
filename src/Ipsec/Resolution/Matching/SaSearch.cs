using System.Collections.Immutable;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Resolution.Matching;

/// <summary>
/// Finds the SA a policy template resolves to, the way the kernel does. Outbound (xfrm_state_find): exact reqid,
/// destination and source (either may be a wildcard), mode, protocol, SPI if the template names one, a valid state whose
/// selector (when it has a family) covers the flow; the newest wins (add time, then insertion order: the kernel's add
/// time counts seconds, and of two SAs added in one second it takes the one inserted last). Inbound (xfrm_state_ok on the SA that decrypted
/// the packet): any SA for our address with that protocol, mode and reqid (any reqid when the template says 0), tunnel
/// end points equal, selector covering the flow; the peer may use any of them, so they must all be congruent;
/// the newest (as outbound) names the channel, so that a rekey's new pair is reported, not its new outbound SA with the
/// old inbound one that charon keeps a few seconds longer.
/// </summary>
internal static class SaSearch
{
    public enum Outcome
    {
        Found,
        None,
        Ambiguous,
    }

    public static Outcome FindOutbound(XfrmSnapshot snapshot, XfrmTemplate template, in FlowKey flow, out CachedSa? found, out string detail)
    {
        found = null;
        detail = string.Empty;
        var (destination, source, sourceWildcard) = Endpoints(template, flow);
        if (!snapshot.ByDestination.TryGetValue(new DestinationKey(destination, (byte)template.Protocol), out var byReqid)
            || !byReqid.TryGetValue(template.RequestId, out var list))
        {
            return Outcome.None;
        }

        var larval = false;
        var sharedSecond = false; // another candidate has the newest one's add time
        foreach (var sa in list)
        {
            if (!IsOutboundCandidate(sa, template, flow, source, sourceWildcard))
            {
                continue;
            }

            if (sa.IsLarval)
            {
                larval = true;
            }
            else if (found is null)
            {
                found = sa;
            }
            else
            {
                sharedSecond = sa.AddTime == found.AddTime || (sharedSecond && sa.AddTime < found.AddTime);
                if (sa.IsNewerThan(found))
                {
                    found = sa;
                }
            }
        }

        // An incongruent SA of the same second as the newest is a rival: fail closed rather than trust the order alone.
        // Only a shared add time can make one, so the common case (one candidate per second) scans once.
        CachedSa? rival = null;
        if (found is not null && sharedSecond)
        {
            foreach (var sa in list)
            {
                if (sa != found && !sa.IsLarval && sa.AddTime == found.AddTime && IsOutboundCandidate(sa, template, flow, source, sourceWildcard)
                    && !SaCongruence.AreCongruent(sa.Info, found.Info))
                {
                    rival = sa;
                    break;
                }
            }
        }

        if (found is null)
        {
            detail = larval ? "; key management was asked (ACQUIRE) and has not installed the SA yet" : string.Empty;
            return Outcome.None;
        }

        if (rival is not null)
        {
            detail = $"outbound SAs 0x{found.Info.Spi:x8} and 0x{rival.Info.Spi:x8} both match and differ";
            found = null;
            return Outcome.Ambiguous;
        }

        return Outcome.Found;
    }

    public static Outcome FindInbound(XfrmSnapshot snapshot, XfrmTemplate template, in FlowKey flow, out CachedSa? found, out string detail)
    {
        found = null;
        detail = string.Empty;
        var (destination, _, _) = Endpoints(template, flow);
        if (!snapshot.ByDestination.TryGetValue(new DestinationKey(destination, (byte)template.Protocol), out var byReqid))
        {
            return Outcome.None;
        }

        CachedSa? rival = null;
        var larval = false;
        if (template.RequestId != 0)
        {
            if (byReqid.TryGetValue(template.RequestId, out var list))
            {
                ScanInbound(list, template, flow, ref found, ref rival, ref larval);
            }
        }
        else
        {
            foreach (var (_, list) in byReqid)
            {
                ScanInbound(list, template, flow, ref found, ref rival, ref larval);
            }
        }

        if (found is null)
        {
            detail = larval ? "; key management was asked (ACQUIRE) and has not installed the SA yet" : string.Empty;
            return Outcome.None;
        }

        if (rival is not null)
        {
            detail = $"inbound SAs 0x{found.Info.Spi:x8} and 0x{rival.Info.Spi:x8} would both be accepted and differ ({SaCongruence.Difference(found.Info, rival.Info)})";
            found = null;
            return Outcome.Ambiguous;
        }

        return Outcome.Found;
    }

    private static bool IsOutboundCandidate(CachedSa sa, XfrmTemplate template, in FlowKey flow, AddressKey source, bool sourceWildcard) =>
        sa.Mode == template.Mode
        && (template.Spi == 0 || sa.Info.Spi == template.Spi)
        && (sourceWildcard || sa.Source.IsAny || sa.Source == source)
        && sa.TakesUnmarked && !sa.HasInterfaceId
        && (sa.Info.Flags & XfrmStateFlags.WildcardReceive) == 0
        && (sa.IsLarval || sa.Selector.Width == 0 || sa.Selector.Matches(flow));

    private static void ScanInbound(ImmutableArray<CachedSa> list, XfrmTemplate template, in FlowKey flow, ref CachedSa? found,
        ref CachedSa? rival, ref bool larval)
    {
        var tunnel = UsesTemplateAddresses(template.Mode);
        foreach (var sa in list)
        {
            if (sa.Mode != template.Mode
                || (template.Spi != 0 && sa.Info.Spi != template.Spi)
                || (tunnel && sa.Source != AddressKey.From(template.Source))
                || !sa.TakesUnmarked)
            {
                continue;
            }

            if (sa.IsLarval)
            {
                larval = true;
                continue;
            }

            if (!sa.Selector.Matches(flow))
            {
                continue;
            }

            if (found is not null && !SaCongruence.AreCongruent(sa.Info, found.Info))
            {
                rival ??= sa;
            }

            if (found is null || sa.IsNewerThan(found))
            {
                found = sa;
            }
        }
    }

    /// <summary>Tunnel-like modes take the SA's addresses from the template; the others from the flow.</summary>
    private static bool UsesTemplateAddresses(XfrmMode mode) => mode is XfrmMode.Tunnel or XfrmMode.Beet or XfrmMode.IpTfs;

    private static (AddressKey Destination, AddressKey Source, bool SourceWildcard) Endpoints(XfrmTemplate template, in FlowKey flow)
    {
        if (!UsesTemplateAddresses(template.Mode))
        {
            return (flow.Destination, flow.Source, false);
        }

        var source = AddressKey.From(template.Source);
        return (AddressKey.From(template.Destination), source, source.IsAny);
    }
}
