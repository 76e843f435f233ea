using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Tests.Timing;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;
using static CbbToolkit.Ipsec.Tests.Resolution.XfrmSets;

namespace CbbToolkit.Ipsec.Tests.Resolution;

/// <summary>The cache's event handling over an in-memory source (the real kernel: XfrmStateCacheKernelTests).</summary>
public sealed class XfrmStateCacheTests
{
    private const string Local = "192.0.2.1";
    private const string Remote = "192.0.2.2";
    private static readonly IpsecFlow Tcp = Flow(Local, 40000, Remote, 443);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(FakeXfrmSource Source, XfrmStateCache Cache, IpsecChannelResolver Resolver)> StartAsync(
        Action<FakeXfrmSource>? seed = null, TimeProvider? time = null)
    {
        var source = new FakeXfrmSource();
        seed?.Invoke(source);
        var cache = XfrmStateCache.StartWith(source, timeProvider: time);
        await cache.FirstLoad;
        return (source, cache, new IpsecChannelResolver(cache));
    }

    [Fact]
    public async Task Start_OneDump_Synchronized()
    {
        var (source, cache, resolver) = await StartAsync(s =>
        {
            s.AddStateSilently(Sa(Local, Remote, 0x100));
            s.AddStateSilently(Sa(Remote, Local, 0x200));
        });
        await using var _ = cache;

        Assert.Equal(XfrmStateCacheStatus.Synchronized, cache.Status);
        Assert.Equal(2, cache.StateCount);
        Assert.Equal(1, source.Dumps);
        Assert.Equal(IpsecNotProtectedReason.NoPolicy, resolver.ResolveKernel(Tcp).Reason);
    }

    [Fact]
    public async Task SaAndPolicyEvents_AreFollowedWithoutAnotherDump()
    {
        var (source, cache, resolver) = await StartAsync();
        await using var _ = cache;
        var policies = TransportPolicies(Local, Remote);

        foreach (var p in policies)
        {
            source.AddPolicy(p);
        }

        await CacheChanges.UntilAsync(cache, () => resolver.ResolveKernel(Tcp).Reason == IpsecNotProtectedReason.PolicyWithoutSa, "policies seen");
        var sas = new[] { Sa(Local, Remote, 0x100), Sa(Remote, Local, 0x200) };
        foreach (var sa in sas)
        {
            source.AddState(sa);
        }

        await CacheChanges.UntilAsync(cache, () => resolver.ResolveKernel(Tcp).IsProtected, "SAs seen");
        source.DeleteState(sas[1]);
        await CacheChanges.UntilAsync(cache, () => resolver.ResolveKernel(Tcp).Reason == IpsecNotProtectedReason.PolicyWithoutSa, "SA deletion seen");
        source.DeletePolicy(policies[0]);
        await CacheChanges.UntilAsync(cache, () => resolver.ResolveKernel(Tcp).Reason == IpsecNotProtectedReason.NoPolicy, "policy deletion seen");

        Assert.Equal(1, source.Dumps);
        Assert.Equal(1, cache.StateCount);
        Assert.Equal(1, cache.PolicyCount);
    }

    [Fact]
    public async Task HardExpire_RemovesTheSa()
    {
        var sa = Sa(Local, Remote, 0x100);
        var (source, cache, _) = await StartAsync(s => s.AddStateSilently(sa));
        await using var __ = cache;

        source.DeleteState(sa, asHardExpire: true);

        await CacheChanges.UntilAsync(cache, () => cache.StateCount == 0, "hard expiry removes the SA");
    }

    [Fact]
    public async Task Overrun_DumpsAgainAndFindsWhatItMissed()
    {
        var (source, cache, _) = await StartAsync();
        await using var __ = cache;
        source.AddStateSilently(Sa(Local, Remote, 0x100)); // an event the kernel dropped

        source.Overrun();

        await CacheChanges.UntilAsync(cache, () => cache.StateCount == 1 && cache.Status == XfrmStateCacheStatus.Synchronized, "resync after ENOBUFS");
        Assert.Equal(2, source.Dumps);
        Assert.True(source.Monitors >= 2, "the monitor is opened again before the dump");
    }

    [Fact]
    public async Task Flush_DumpsAgain()
    {
        var (source, cache, _) = await StartAsync(s => s.AddStateSilently(Sa(Local, Remote, 0x100)));
        await using var __ = cache;

        source.FlushStates();

        await CacheChanges.UntilAsync(cache, () => cache.StateCount == 0 && source.Dumps == 2, "flush triggers a dump");
    }

    [Fact]
    public async Task NoPrivilege_FailedAndLookupsFailClosed_ThenRetriesOnTheBackoffAndRecovers()
    {
        var time = new ObservedTimeProvider();
        var (source, cache, resolver) = await StartAsync(s =>
        {
            s.DumpFailure = new IpsecException(IpsecError.PermissionDenied, "dumping SAs: needs CAP_NET_ADMIN");
            foreach (var p in TransportPolicies(Local, Remote))
            {
                s.AddPolicy(p);
            }

            s.AddStateSilently(Sa(Local, Remote, 0x100));
            s.AddStateSilently(Sa(Remote, Local, 0x200));
        }, time);
        await using var _ = cache;

        Assert.Equal(XfrmStateCacheStatus.Failed, cache.Status);
        var r = resolver.ResolveKernel(Tcp);
        Assert.Equal(IpsecNotProtectedReason.NoPrivilege, r.Reason);
        Assert.Equal(IpsecError.PermissionDenied, r.Error);
        Assert.Contains("CAP_NET_ADMIN", r.Message, StringComparison.Ordinal);

        // Still failing: the retries come 100 ms, then 200 ms apart on the cache's clock, not sooner.
        Assert.Equal(TimeSpan.FromMilliseconds(100), await time.NextTimerAsync(Ct));
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal(1, source.Dumps);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(200), await time.NextTimerAsync(Ct));
        Assert.Equal(2, source.Dumps);
        Assert.Equal(XfrmStateCacheStatus.Failed, cache.Status);

        source.DumpFailure = null;
        time.Advance(TimeSpan.FromMilliseconds(200));
        await CacheChanges.UntilAsync(cache, () => resolver.ResolveKernel(Tcp).IsProtected, "the cache retries and recovers");
        Assert.Equal(3, source.Dumps);
        Assert.Equal(XfrmStateCacheStatus.Synchronized, cache.Status);
    }

    [Fact]
    public async Task Changes_RaiseChangedWithGrowingVersions()
    {
        var (source, cache, _) = await StartAsync();
        await using var _c = cache;
        var versions = new List<long>();
        cache.Changed += (_, e) =>
        {
            lock (versions)
            {
                versions.Add(e.Version);
            }
        };

        source.AddState(Sa(Local, Remote, 0x100));
        source.AddState(Sa(Remote, Local, 0x200));

        await CacheChanges.UntilAsync(cache, () => { lock (versions) { return versions.Count == 2; } }, "two changes");
        Assert.True(versions[1] > versions[0]);
        Assert.Equal(versions[1], cache.Version);
    }

    [Fact]
    public async Task Disposed_LookupsFailClosed()
    {
        var (_, cache, resolver) = await StartAsync();

        await cache.DisposeAsync();

        Assert.Equal(XfrmStateCacheStatus.Stopped, cache.Status);
        Assert.Equal(IpsecNotProtectedReason.BackendError, resolver.ResolveKernel(Tcp).Reason);
    }

    [Fact]
    public async Task UpdatedSa_ReplacesTheOldOne()
    {
        var sa = Sa(Local, Remote, 0x100);
        var (source, cache, _) = await StartAsync(s => s.AddStateSilently(sa));
        await using var __ = cache;

        source.AddState(sa with { Current = new XfrmLifetimeCurrent(4096, 3, sa.Current.AddTime, 1_700_000_010) });

        await CacheChanges.UntilAsync(cache, () => cache.GetStates().Single().Current.Bytes == 4096, "update applied");
        Assert.Equal(1, cache.StateCount);
    }
}
