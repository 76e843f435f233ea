using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Resolution.Matching;
using CbbToolkit.Ipsec.Xfrm;
using CsCheck;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Resolution.Matching;

/// <summary>
/// The indexed policy lookup (host-pair hash, sorted inexact list, early stop) against a plain reading of the kernel's
/// rule over every policy: lowest priority value among the matching ones, conflicts when an uncertain policy could win
/// or the best priority is shared by policies with other templates.
/// </summary>
public sealed class PolicyTablePropertyTests
{
    private static readonly byte[] Prefixes = [0, 24, 30, 32, 32];

    private static readonly Gen<XfrmPolicy> Policies =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 4], Gen.Int[0, 3], Gen.Int[0, 4], Gen.Int[0, 2], Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 9])
            .Select((s, sp, d, dp, proto, priority, reqid, kind) => new XfrmPolicy
            {
                Selector = new XfrmSelector
                {
                    Source = Host(s),
                    SourcePrefixLength = Prefixes[sp],
                    Destination = Host(d),
                    DestinationPrefixLength = Prefixes[dp],
                    Protocol = proto switch { 1 => ProtocolType.Tcp, 2 => ProtocolType.Udp, _ => ProtocolType.Unspecified },
                    DestinationPort = (ushort)(kind == 1 ? 443 : 0),
                    DestinationPortMask = (ushort)(kind == 1 ? 0xffff : 0),
                },
                Direction = XfrmPolicyDirection.Out,
                Priority = (uint)priority,
                Templates = reqid == 0 ? [] : [new XfrmTemplate { RequestId = (uint)reqid }],
                Mark = kind is 7 or 8 ? new XfrmMark(1, 0xff) : null,
                Type = kind == 9 ? XfrmPolicyType.Sub : XfrmPolicyType.Main,
            });

    private static readonly Gen<(int Source, int Destination, ProtocolType Protocol, int Port)> Flows =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 3], Gen.Bool, Gen.Bool).Select((s, d, tcp, https) =>
            (s, d, tcp ? ProtocolType.Tcp : ProtocolType.Udp, https ? 443 : 80));

    [Fact]
    public void IndexedLookup_AgreesWithALinearReadingOfTheKernelRule()
    {
        Gen.Select(Policies.Array[0, 25], Flows.Array[1, 8]).Sample((policies, flows) =>
        {
            var cached = WithIndexes(policies).Select(p => new CachedPolicy(p)).ToArray();
            var table = PolicyTable.Create(cached);
            foreach (var f in flows)
            {
                var key = Key(f);
                var best = table.Find(key, out var conflict);
                var (expectedBest, expectedConflict) = Reference(cached, key);
                Assert.Equal(expectedConflict, conflict is not null);
                if (!expectedConflict)
                {
                    Assert.Same(expectedBest, best);
                }
            }
        }, iter: 3_000);
    }

    [Fact]
    public void TableBuiltByEvents_AnswersLikeTableBuiltFromADump()
    {
        Gen.Select(Policies.Array[1, 20], Gen.Bool.Array[20], Flows.Array[1, 6]).Sample((policies, removed, flows) =>
        {
            var cached = WithIndexes(policies).Select(p => new CachedPolicy(p)).ToArray();
            var incremental = PolicyTable.Empty;
            foreach (var p in cached)
            {
                incremental = incremental.With(p);
            }

            var kept = new List<CachedPolicy>();
            for (var i = 0; i < cached.Length; i++)
            {
                if (removed[i])
                {
                    incremental = incremental.Without(cached[i]);
                }
                else
                {
                    kept.Add(cached[i]);
                }
            }

            var dumped = PolicyTable.Create(kept);
            foreach (var f in flows)
            {
                var key = Key(f);
                Assert.Same(dumped.Find(key, out var c1), incremental.Find(key, out var c2));
                Assert.Equal(c1 is null, c2 is null);
            }
        }, iter: 2_000);
    }

    [Fact]
    public void UncertainPolicyInTheInexactList_CountsEvenAfterAWorseOneInTheHostPairBucket()
    {
        XfrmPolicy Make(int prefix, uint priority, bool marked, uint index) => new()
        {
            Selector = new XfrmSelector { Source = Host(0), SourcePrefixLength = (byte)prefix, Destination = Host(1), DestinationPrefixLength = (byte)prefix },
            Direction = XfrmPolicyDirection.Out,
            Priority = priority,
            Index = index,
            Templates = [new XfrmTemplate { RequestId = 1 }],
            Mark = marked ? new XfrmMark(1, 0xff) : null,
        };

        var table = PolicyTable.Create([
            new CachedPolicy(Make(32, 3, marked: true, 9)),
            new CachedPolicy(Make(24, 1, marked: true, 17)),
            new CachedPolicy(Make(24, 2, marked: false, 25)),
        ]);

        var best = table.Find(Key((0, 1, ProtocolType.Tcp, 443)), out var conflict);

        Assert.Equal(25u, best!.Index);
        Assert.Equal(17u, conflict!.Index);
    }

    private static (CachedPolicy? Best, bool Conflict) Reference(CachedPolicy[] all, FlowKey flow)
    {
        var matching = all.Where(p => p.Selector.Matches(flow)).ToArray();
        if (matching.Any(p => p.Policy.Type == XfrmPolicyType.Sub))
        {
            return (null, true);
        }

        var certain = matching.Where(p => !p.IsUncertain).OrderBy(p => p.Priority).ThenBy(p => p.Index).ToArray();
        var best = certain.FirstOrDefault();
        var uncertainCouldWin = matching.Any(p => p.IsUncertain && (best is null || p.Priority <= best.Priority));
        var tie = best is not null && certain.Any(p => p != best && p.Priority == best.Priority && !p.SameOutcome(best));
        return (best, uncertainCouldWin || tie);
    }

    private static IEnumerable<XfrmPolicy> WithIndexes(XfrmPolicy[] policies) =>
        policies.Select((p, i) => p with { Index = (uint)((i + 1) << 3) | 1 });

    private static FlowKey Key((int Source, int Destination, ProtocolType Protocol, int Port) f) =>
        FlowKey.Outbound(new IpsecFlow(new IPEndPoint(Host(f.Source), 40000), new IPEndPoint(Host(f.Destination), f.Port), f.Protocol));

    private static IPAddress Host(int i) => new([10, 0, 0, (byte)(i * 3)]);
}
