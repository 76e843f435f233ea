using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Resolution.Matching;

/// <summary>A kernel policy with its selector in numeric form.</summary>
internal sealed class CachedPolicy
{
    public CachedPolicy(XfrmPolicy policy)
    {
        Policy = policy;
        Selector = new CompiledSelector(policy.Selector);

        // What the resolver cannot see about a flow: its interface, its mark, the xfrm interface it is routed through,
        // and sub policies (looked up before main ones). A policy that depends on those is "uncertain".
        IsUncertain = policy.Selector.InterfaceIndex != 0
            || policy.Mark is { Value: not 0 }
            || policy.InterfaceId is > 0
            || policy.Type != XfrmPolicyType.Main;
    }

    public XfrmPolicy Policy { get; }

    public CompiledSelector Selector { get; }

    public uint Priority => Policy.Priority;

    public uint Index => Policy.Index;

    public bool IsUncertain { get; }

    /// <summary>Orders by priority (lower wins), then by index (the kernel's insertion order, older wins ties).</summary>
    public static int Compare(CachedPolicy? x, CachedPolicy? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var c = x.Priority.CompareTo(y.Priority);
        return c != 0 ? c : x.Index.CompareTo(y.Index);
    }

    /// <summary>Two policies send matching traffic to the same place: same action and the same templates.</summary>
    public bool SameOutcome(CachedPolicy other) =>
        Policy.Action == other.Policy.Action && Policy.Templates.SequenceEqual(other.Policy.Templates);
}
