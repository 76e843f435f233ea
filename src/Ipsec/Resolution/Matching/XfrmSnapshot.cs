using System.Collections.Immutable;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Resolution.Matching;

/// <summary>
/// An immutable view of the kernel's SAs and policies, indexed for the resolver: SAs by identity and by
/// (destination, protocol) then reqid; policies by index and, per direction, in a <see cref="PolicyTable"/>.
/// Changes return a new snapshot sharing most of the old one (O(log n) per SA change).
/// </summary>
internal sealed class XfrmSnapshot
{
    // The insertion order given to the next SA added (CachedSa.Order).
    private readonly long _nextOrder;

    private XfrmSnapshot(
        ImmutableDictionary<SaId, CachedSa> sas,
        ImmutableDictionary<DestinationKey, ImmutableDictionary<uint, ImmutableArray<CachedSa>>> byDestination,
        ImmutableDictionary<uint, CachedPolicy> policies,
        PolicyTable outbound,
        PolicyTable inbound,
        long nextOrder)
    {
        _nextOrder = nextOrder;
        Sas = sas;
        ByDestination = byDestination;
        Policies = policies;
        Outbound = outbound;
        Inbound = inbound;
    }

    public static XfrmSnapshot Empty { get; } = new(
        ImmutableDictionary<SaId, CachedSa>.Empty,
        ImmutableDictionary<DestinationKey, ImmutableDictionary<uint, ImmutableArray<CachedSa>>>.Empty,
        ImmutableDictionary<uint, CachedPolicy>.Empty,
        PolicyTable.Empty,
        PolicyTable.Empty,
        1);

    public ImmutableDictionary<SaId, CachedSa> Sas { get; }

    public ImmutableDictionary<DestinationKey, ImmutableDictionary<uint, ImmutableArray<CachedSa>>> ByDestination { get; }

    /// <summary>Every policy, forward and socket policies included, by kernel index.</summary>
    public ImmutableDictionary<uint, CachedPolicy> Policies { get; }

    /// <summary>Main and sub policies of direction out.</summary>
    public PolicyTable Outbound { get; }

    /// <summary>Main and sub policies of direction in.</summary>
    public PolicyTable Inbound { get; }

    /// <summary>
    /// Builds a snapshot from a dump, in the kernel's dump order: newest first (the kernel puts each SA it inserts at
    /// the head of the list a dump walks).
    /// </summary>
    public static XfrmSnapshot Create(IEnumerable<XfrmState> states, IEnumerable<XfrmPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(policies);
        var dumped = states as IReadOnlyCollection<XfrmState> ?? [.. states];
        var sas = ImmutableDictionary.CreateBuilder<SaId, CachedSa>();
        var order = (long)dumped.Count;
        foreach (var state in dumped)
        {
            var sa = new CachedSa(state, order--);
            sas[sa.Id] = sa;
        }

        var groups = new Dictionary<DestinationKey, Dictionary<uint, List<CachedSa>>>();
        foreach (var sa in sas.Values)
        {
            var key = new DestinationKey(sa.Destination, (byte)sa.Info.Protocol);
            if (!groups.TryGetValue(key, out var byReqid))
            {
                groups[key] = byReqid = [];
            }

            if (!byReqid.TryGetValue(sa.RequestId, out var list))
            {
                byReqid[sa.RequestId] = list = [];
            }

            list.Add(sa);
        }

        var byDestination = ImmutableDictionary.CreateBuilder<DestinationKey, ImmutableDictionary<uint, ImmutableArray<CachedSa>>>();
        foreach (var (key, byReqid) in groups)
        {
            byDestination[key] = byReqid.ToImmutableDictionary(e => e.Key, e => e.Value.ToImmutableArray());
        }

        var all = ImmutableDictionary.CreateBuilder<uint, CachedPolicy>();
        foreach (var policy in policies)
        {
            all[policy.Index] = new CachedPolicy(policy);
        }

        return new XfrmSnapshot(
            sas.ToImmutable(),
            byDestination.ToImmutable(),
            all.ToImmutable(),
            PolicyTable.Create(all.Values.Where(p => p.Policy.Direction == XfrmPolicyDirection.Out)),
            PolicyTable.Create(all.Values.Where(p => p.Policy.Direction == XfrmPolicyDirection.In)),
            dumped.Count + 1L);
    }

    /// <summary>
    /// Adds or replaces an SA (NEWSA, UPDSA). A new SA is the newest; an update keeps the SA's place, as the kernel
    /// updates a valid SA in place, except when it fills in an SA that ALLOCSPI reserved: the kernel inserts that anew.
    /// </summary>
    public XfrmSnapshot WithState(XfrmState state)
    {
        var id = new SaId(AddressKey.From(state.Destination), state.Spi, (byte)state.Protocol, state.Mark?.Value ?? 0, state.Mark?.Mask ?? 0);
        var known = Sas.TryGetValue(id, out var old);
        var keepsPlace = known && !old!.HasNoAlgorithm;
        var sa = new CachedSa(state, keepsPlace ? old!.Order : _nextOrder);
        var snapshot = known ? RemoveSa(old!) : this;
        return snapshot.AddSa(sa, keepsPlace ? _nextOrder : _nextOrder + 1);
    }

    /// <summary>Removes an SA (DELSA, hard EXPIRE); no change when it is not there.</summary>
    public XfrmSnapshot WithoutState(XfrmState state)
    {
        var destination = AddressKey.From(state.Destination);
        var id = new SaId(destination, state.Spi, (byte)state.Protocol, state.Mark?.Value ?? 0, state.Mark?.Mask ?? 0);
        return Sas.TryGetValue(id, out var old) ? RemoveSa(old) : this;
    }

    /// <summary>Adds or replaces a policy (NEWPOLICY, UPDPOLICY), by kernel index.</summary>
    public XfrmSnapshot WithPolicy(XfrmPolicy policy)
    {
        var snapshot = Policies.TryGetValue(policy.Index, out var old) ? RemovePolicy(old) : this;
        var p = new CachedPolicy(policy);
        return new XfrmSnapshot(
            snapshot.Sas,
            snapshot.ByDestination,
            snapshot.Policies.SetItem(policy.Index, p),
            policy.Direction == XfrmPolicyDirection.Out ? snapshot.Outbound.With(p) : snapshot.Outbound,
            policy.Direction == XfrmPolicyDirection.In ? snapshot.Inbound.With(p) : snapshot.Inbound,
            _nextOrder);
    }

    /// <summary>Removes a policy (DELPOLICY, hard POLEXPIRE) by kernel index.</summary>
    public XfrmSnapshot WithoutPolicy(XfrmPolicy policy) =>
        Policies.TryGetValue(policy.Index, out var old) ? RemovePolicy(old) : this;

    private XfrmSnapshot AddSa(CachedSa sa, long nextOrder)
    {
        var key = new DestinationKey(sa.Destination, (byte)sa.Info.Protocol);
        var byReqid = ByDestination.TryGetValue(key, out var g) ? g : ImmutableDictionary<uint, ImmutableArray<CachedSa>>.Empty;
        var list = byReqid.TryGetValue(sa.RequestId, out var l) ? l : [];
        return new XfrmSnapshot(
            Sas.SetItem(sa.Id, sa),
            ByDestination.SetItem(key, byReqid.SetItem(sa.RequestId, list.Add(sa))),
            Policies,
            Outbound,
            Inbound,
            nextOrder);
    }

    private XfrmSnapshot RemoveSa(CachedSa sa)
    {
        var key = new DestinationKey(sa.Destination, (byte)sa.Info.Protocol);
        var byDestination = ByDestination;
        if (byDestination.TryGetValue(key, out var byReqid) && byReqid.TryGetValue(sa.RequestId, out var list))
        {
            var rest = list.Remove(sa);
            var reqids = rest.IsEmpty ? byReqid.Remove(sa.RequestId) : byReqid.SetItem(sa.RequestId, rest);
            byDestination = reqids.IsEmpty ? byDestination.Remove(key) : byDestination.SetItem(key, reqids);
        }

        return new XfrmSnapshot(Sas.Remove(sa.Id), byDestination, Policies, Outbound, Inbound, _nextOrder);
    }

    private XfrmSnapshot RemovePolicy(CachedPolicy p) => new(
        Sas,
        ByDestination,
        Policies.Remove(p.Index),
        p.Policy.Direction == XfrmPolicyDirection.Out ? Outbound.Without(p) : Outbound,
        p.Policy.Direction == XfrmPolicyDirection.In ? Inbound.Without(p) : Inbound,
        _nextOrder);
}
