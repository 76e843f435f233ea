using System.Collections.Immutable;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Resolution.Matching;

/// <summary>
/// The policies of one direction, immutable. Host-pair selectors (both prefixes full: what IKE daemons install for
/// transport mode) sit in a hash index; the others in one list. Both are kept in priority order, so a lookup reads one
/// hash bucket and the inexact list only up to the best priority found. Sub-type policies (looked up by the kernel
/// before the main ones, whatever their priority) sit apart.
/// </summary>
internal sealed class PolicyTable
{
    private static readonly Comparer<CachedPolicy> Order = Comparer<CachedPolicy>.Create(CachedPolicy.Compare);

    private readonly ImmutableDictionary<HostPair, ImmutableArray<CachedPolicy>> _exact;
    private readonly ImmutableArray<CachedPolicy> _inexact;
    private readonly ImmutableArray<CachedPolicy> _sub;

    private PolicyTable(ImmutableDictionary<HostPair, ImmutableArray<CachedPolicy>> exact, ImmutableArray<CachedPolicy> inexact,
        ImmutableArray<CachedPolicy> sub)
    {
        _exact = exact;
        _inexact = inexact;
        _sub = sub;
    }

    public static PolicyTable Empty { get; } = new(ImmutableDictionary<HostPair, ImmutableArray<CachedPolicy>>.Empty, [], []);

    public static PolicyTable Create(IEnumerable<CachedPolicy> policies)
    {
        var exact = new Dictionary<HostPair, List<CachedPolicy>>();
        var inexact = new List<CachedPolicy>();
        var sub = new List<CachedPolicy>();
        foreach (var p in policies)
        {
            if (p.Policy.Type != XfrmPolicyType.Main)
            {
                sub.Add(p);
            }
            else if (p.Selector.IsHostPair)
            {
                var key = KeyOf(p);
                if (!exact.TryGetValue(key, out var list))
                {
                    exact[key] = list = [];
                }

                list.Add(p);
            }
            else
            {
                inexact.Add(p);
            }
        }

        inexact.Sort(Order);
        var builder = ImmutableDictionary.CreateBuilder<HostPair, ImmutableArray<CachedPolicy>>();
        foreach (var (key, list) in exact)
        {
            list.Sort(Order);
            builder[key] = [.. list];
        }

        return new PolicyTable(builder.ToImmutable(), [.. inexact], [.. sub]);
    }

    public PolicyTable With(CachedPolicy policy)
    {
        if (policy.Policy.Type != XfrmPolicyType.Main)
        {
            return new PolicyTable(_exact, _inexact, _sub.Add(policy));
        }

        if (policy.Selector.IsHostPair)
        {
            var key = KeyOf(policy);
            var bucket = _exact.TryGetValue(key, out var b) ? b : [];
            return new PolicyTable(_exact.SetItem(key, Insert(bucket, policy)), _inexact, _sub);
        }

        return new PolicyTable(_exact, Insert(_inexact, policy), _sub);
    }

    public PolicyTable Without(CachedPolicy policy)
    {
        if (policy.Policy.Type != XfrmPolicyType.Main)
        {
            return new PolicyTable(_exact, _inexact, _sub.Remove(policy));
        }

        if (policy.Selector.IsHostPair)
        {
            var key = KeyOf(policy);
            if (!_exact.TryGetValue(key, out var bucket))
            {
                return this;
            }

            var rest = bucket.Remove(policy);
            return new PolicyTable(rest.IsEmpty ? _exact.Remove(key) : _exact.SetItem(key, rest), _inexact, _sub);
        }

        return new PolicyTable(_exact, _inexact.Remove(policy), _sub);
    }

    /// <summary>
    /// The policy the kernel would apply to an unmarked flow not routed through an xfrm interface: the matching one
    /// with the lowest priority value (the older one on equal priority). <paramref name="conflict"/> is set when that
    /// cannot be told for sure: an uncertain policy (interface, mark, if_id, sub type) could win, or another policy of
    /// the best priority would send the flow elsewhere.
    /// </summary>
    public CachedPolicy? Find(in FlowKey flow, out CachedPolicy? conflict)
    {
        CachedPolicy? best = null, tie = null, uncertain = null;
        if (_exact.TryGetValue(new HostPair(flow.Source, flow.Destination), out var bucket))
        {
            Scan(bucket, flow, ref best, ref tie, ref uncertain);
        }

        Scan(_inexact, flow, ref best, ref tie, ref uncertain);
        conflict = null;
        foreach (var p in _sub)
        {
            if (p.Selector.Matches(flow))
            {
                conflict = p;
                return best;
            }
        }

        conflict = uncertain is not null && (best is null || uncertain.Priority <= best.Priority) ? uncertain : tie;
        return best;
    }

    private static void Scan(ImmutableArray<CachedPolicy> policies, in FlowKey flow, ref CachedPolicy? best, ref CachedPolicy? tie,
        ref CachedPolicy? uncertain)
    {
        foreach (var p in policies)
        {
            if (best is not null && p.Priority > best.Priority)
            {
                break; // sorted: nothing further can win or tie
            }

            if (!p.Selector.Matches(flow))
            {
                continue;
            }

            if (p.IsUncertain)
            {
                if (uncertain is null || p.Priority < uncertain.Priority)
                {
                    uncertain = p;
                }

                continue;
            }

            if (best is null)
            {
                best = p;
            }
            else if (p.Priority < best.Priority)
            {
                best = p;
                tie = null;
            }
            else if (!ReferenceEquals(p, best))
            {
                if (!best.SameOutcome(p))
                {
                    tie ??= p;
                }

                if (CachedPolicy.Compare(p, best) < 0)
                {
                    best = p;
                }
            }
        }
    }

    private static HostPair KeyOf(CachedPolicy p) => new(p.Selector.Source, p.Selector.Destination);

    private static ImmutableArray<CachedPolicy> Insert(ImmutableArray<CachedPolicy> list, CachedPolicy policy)
    {
        var at = list.BinarySearch(policy, Order);
        return list.Insert(at >= 0 ? at : ~at, policy);
    }
}
