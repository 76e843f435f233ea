using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;
using static CbbToolkit.Ipsec.Tests.Resolution.XfrmSets;
using CbbToolkit.Testing.Namespaces;

namespace CbbToolkit.Ipsec.Tests.Resolution;

/// <summary>
/// The cache and the resolver against the host kernel, in a network namespace per test. The host kernel has XFRM
/// policies but no ESP (kernel-lab.md), so these tests use policies and the ACQUIRE larval state only; SA pairs and
/// latches over real ESP run in the UML lab (tests/CbbToolkit.Lab.Tests/Latching).
/// </summary>
public sealed class XfrmStateCacheKernelTests
{
    private const string Local = "10.0.0.1";
    private const string Remote = "10.0.0.2";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PoliciesAddedWithIp_AreFollowed_ResolverSaysPolicyWithoutSaThenNoPolicy()
    {
        using var ns = ScratchNamespace.Create();
        await using var cache = await XfrmStateCache.StartAsync(ns.Name, cancellationToken: Ct);
        var resolver = new IpsecChannelResolver(cache);
        var flow = Flow(Local, 40000, Remote, 443);
        Assert.Equal(XfrmStateCacheStatus.Synchronized, cache.Status);
        Assert.Equal(IpsecNotProtectedReason.NoPolicy, resolver.ResolveKernel(flow).Reason);

        ns.IpLine($"xfrm policy add src {Local}/32 dst {Remote}/32 proto tcp dir out priority 300 tmpl proto esp mode transport reqid 5");
        ns.IpLine($"xfrm policy add src {Remote}/32 dst {Local}/32 proto tcp dir in priority 300 tmpl proto esp mode transport reqid 5");
        await CacheChanges.UntilAsync(cache, () => cache.PolicyCount == 2, "both policy events applied");

        var r = resolver.ResolveKernel(flow);
        Assert.Equal(IpsecNotProtectedReason.PolicyWithoutSa, r.Reason);
        Assert.Contains("reqid 5", r.Message, StringComparison.Ordinal);
        Assert.Equal(IpsecNotProtectedReason.NoPolicy, resolver.ResolveKernel(Flow(Local, 40000, "10.0.0.3", 443)).Reason);
        Assert.Equal(IpsecNotProtectedReason.NoPolicy, resolver.ResolveKernel(Flow(Local, 40000, Remote, 443, ProtocolType.Udp)).Reason);

        // The cached policy is the one iproute2 lists (index and priority).
        var listed = ns.XfrmPolicies().Where(p => p.Direction == "out").Select(p => (p.Index, p.Priority)).ToList();
        var cached = cache.GetPolicies().Single(p => p.Direction == XfrmPolicyDirection.Out);
        Assert.Equal([(cached.Index, cached.Priority)], listed);

        ns.IpLine($"xfrm policy delete src {Local}/32 dst {Remote}/32 proto tcp dir out");
        await CacheChanges.UntilAsync(cache, () => cache.PolicyCount == 1, "the delete event applied");
        Assert.Equal(IpsecNotProtectedReason.NoPolicy, resolver.ResolveKernel(flow).Reason);
    }

    [Fact]
    public async Task PoliciesAddedAndDeletedWithOurClient_AreFollowed()
    {
        using var ns = ScratchNamespace.Create();
        await using var cache = await XfrmStateCache.StartAsync(ns.Name, cancellationToken: Ct);
        using var client = XfrmClient.Open(ns.Name);
        var resolver = new IpsecChannelResolver(cache);
        var flow = Flow("2001:db8::1", 40000, "2001:db8::2", 22);

        foreach (var p in TransportPolicies("2001:db8::1", "2001:db8::2", reqid: 7))
        {
            await client.AddPolicyAsync(p with { Index = 0 }, Ct);
        }

        await CacheChanges.UntilAsync(cache, () => resolver.ResolveKernel(flow).Reason == IpsecNotProtectedReason.PolicyWithoutSa, "IPv6 policies seen");
        var version = cache.Version;
        foreach (var p in await client.ListPoliciesAsync(Ct))
        {
            await client.DeletePolicyAsync(p, Ct);
        }

        await CacheChanges.UntilAsync(cache, () => cache.PolicyCount == 0, "deletions seen");
        Assert.True(cache.Version > version);
        Assert.Equal(IpsecNotProtectedReason.NoPolicy, resolver.ResolveKernel(flow).Reason);
    }

    [Fact]
    public async Task PolicyFlush_CacheDumpsAgainAndIsEmpty()
    {
        using var ns = ScratchNamespace.Create();
        ns.IpLine($"xfrm policy add src {Local}/32 dst {Remote}/32 dir out tmpl proto esp mode transport reqid 1");
        await using var cache = await XfrmStateCache.StartAsync(ns.Name, cancellationToken: Ct);
        Assert.Equal(1, cache.PolicyCount);
        var reloads = 0;
        cache.Changed += (_, e) => reloads += e.IsReload ? 1 : 0;

        ns.IpLine("xfrm policy flush");

        await CacheChanges.UntilAsync(cache, () => cache.PolicyCount == 0 && Volatile.Read(ref reloads) > 0, "the flush makes the cache dump again");
        Assert.Equal(XfrmStateCacheStatus.Synchronized, cache.Status);
    }

    [Fact]
    public async Task ConnectUnderARequirePolicy_AcquireLeavesALarvalSa_ResolverSaysKeyManagementWasAsked()
    {
        using var ns = ScratchNamespace.Create();
        // Not lo: it has disable_xfrm set. A veth pair (both ends here) routes 10.0.0.0/24 through the XFRM lookup.
        ns.IpLine("link add cbbv0 type veth peer name cbbv1");
        ns.IpLine($"addr add {Local}/24 dev cbbv0");
        ns.IpLine("link set cbbv0 up");
        ns.IpLine("link set cbbv1 up");
        ns.IpLine($"xfrm policy add src {Local}/32 dst {Remote}/32 proto tcp dir out tmpl proto esp mode transport reqid 9");
        ns.IpLine($"xfrm policy add src {Remote}/32 dst {Local}/32 proto tcp dir in tmpl proto esp mode transport reqid 9");
        await using var cache = await XfrmStateCache.StartAsync(ns.Name, cancellationToken: Ct);
        var resolver = new IpsecChannelResolver(cache);

        // The cache's monitor listens on the ACQUIRE group, so the kernel asks "key management" and keeps a larval SA;
        // the SYN goes nowhere (xfrm_larval_drop), so connect without waiting.
        using var socket = NetworkNamespace.Run(ns.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        socket.Blocking = false;
        socket.Bind(new IPEndPoint(IPAddress.Parse(Local), 40000));
        Assert.Throws<SocketException>(() => socket.Connect(new IPEndPoint(IPAddress.Parse(Remote), 443)));

        // The larval SA has no NEWSA event, and the kernel sends the ACQUIRE before it inserts the SA: only a dump
        // shows it, so poll with dumps.
        await Eventually.TrueAsync(() =>
        {
            cache.ResynchronizeAsync(Ct).GetAwaiter().GetResult();
            return cache.GetStates().Any(s => s.Spi == 0 && s.RequestId == 9);
        }, "a larval SA in the dump");
        var r = resolver.ResolveKernel(Flow(Local, 40000, Remote, 443));
        Assert.Equal(IpsecNotProtectedReason.PolicyWithoutSa, r.Reason);
        Assert.Contains("ACQUIRE", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveOnce_DumpsTheKernelAndAnswers()
    {
        using var ns = ScratchNamespace.Create();
        ns.IpLine($"xfrm policy add src {Local}/32 dst {Remote}/32 dir out action block");
        using var client = XfrmClient.Open(ns.Name);

        var r = await IpsecChannelResolver.ResolveOnceAsync(client, Flow(Local, 1, Remote, 2), cancellationToken: Ct);

        Assert.Equal(IpsecNotProtectedReason.Blocked, r.Reason);
        Assert.Equal(IpsecError.BlockedByPolicy, r.Error);
    }
}
