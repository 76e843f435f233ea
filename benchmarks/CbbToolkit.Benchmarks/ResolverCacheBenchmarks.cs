using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using CbbToolkit.Benchmarks.Support;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Benchmarks;

/// <summary>
/// Suite 5b (issue 3): "which SA pair protects this connection" from a warm <see cref="XfrmStateCache"/>
/// (<see cref="IpsecChannelResolver.ResolveKernel"/>), with 100, 1,000 and 10,000 SAs (half as many peers, each with
/// an out and an in SA and policy: the shape of benchmarks/capture/xfrm-batch.py). Goal: under 5 us median, flat in the
/// number of SAs. The set-up also prints the memory the cache keeps per SA.
/// </summary>
[MemoryDiagnoser]
public class ResolverCacheBenchmarks
{
    private XfrmStateCache _cache = null!;
    private IpsecChannelResolver _resolver = null!;
    private IpsecFlow _protected = null!;
    private IpsecFlow _unprotected = null!;

    [Params(100, 1_000, 10_000)]
    public int SaCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Console.WriteLine($"// Retained memory per cached SA at {SaCount} SAs: {RetainedPerSa(SaCount, withPolicies: false):F0} B " +
            $"(per SA with its policy: {RetainedPerSa(SaCount, withPolicies: true):F0} B)");
        _cache = XfrmStateCache.FromDump(XfrmDataset.States(SaCount), XfrmDataset.Policies(SaCount));
        _resolver = new IpsecChannelResolver(_cache);

        // A peer in the middle of the tables, and a peer that has no policy.
        var peer = SaCount / 4;
        _protected = new IpsecFlow(new IPEndPoint(XfrmDataset.Local, 443), new IPEndPoint(XfrmDataset.Peer(peer), 50_000), ProtocolType.Tcp);
        _unprotected = new IpsecFlow(new IPEndPoint(XfrmDataset.Local, 443), new IPEndPoint(IPAddress.Parse("192.0.2.9"), 50_000), ProtocolType.Tcp);
        var hit = _resolver.ResolveKernel(_protected);
        if (hit.Channel is not { } channel || channel.Outbound.Spi != XfrmDataset.OutboundSpi(peer) || channel.Inbound.Spi != XfrmDataset.OutboundSpi(peer) + 1
            || _resolver.ResolveKernel(_unprotected).IsProtected)
        {
            throw new InvalidOperationException($"Wrong resolution: {hit}");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _cache.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The goal's row: a protected flow, resolved to its SA pair.</summary>
    [Benchmark(Baseline = true)]
    public IpsecChannelResolution Resolve_Protected() => _resolver.ResolveKernel(_protected);

    /// <summary>A flow no policy covers ("not protected" with its reason).</summary>
    [Benchmark]
    public IpsecChannelResolution Resolve_NoPolicy() => _resolver.ResolveKernel(_unprotected);

    // What a cache of n SAs keeps alive, per SA: heap after building it minus heap before, inputs released.
    private static double RetainedPerSa(int count, bool withPolicies)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var cache = XfrmStateCache.FromDump(XfrmDataset.States(count), withPolicies ? XfrmDataset.Policies(count) : []);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(cache);
        return (after - before) / (double)count;
    }
}
