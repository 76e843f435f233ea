using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using CbbToolkit.Benchmarks.Support;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Benchmarks;

/// <summary>
/// The latch database (RFC 5660) over a warm cache of 2,000 SAs with one ESTABLISHED connection latch per peer
/// (1,000): the per-I/O check a server makes (<see cref="IpsecLatchDatabase.EnsureEstablished"/>), an inquiry, and the
/// pass over every latch that follows each cache change (no change found: the common case of an unrelated SA event).
/// </summary>
[MemoryDiagnoser]
public class LatchDatabaseBenchmarks
{
    private const int Peers = 1_000;

    private XfrmStateCache _cache = null!;
    private IpsecLatchDatabase _db = null!;
    private IpsecLatchHandle _handle = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cache = XfrmStateCache.FromDump(XfrmDataset.States(2 * Peers), XfrmDataset.Policies(2 * Peers));
        var resolver = new IpsecChannelResolver(_cache);
        _db = new IpsecLatchDatabase(resolver);
        for (var i = 0; i < Peers; i++)
        {
            var flow = new IpsecFlow(new IPEndPoint(XfrmDataset.Local, 443), new IPEndPoint(XfrmDataset.Peer(i), 50_000), ProtocolType.Tcp);
            var channel = resolver.ResolveKernel(flow).Channel ?? throw new InvalidOperationException($"peer {i} is not protected");
            var handle = _db.CreateConnectionLatch(channel);
            if (i == Peers / 2)
            {
                _handle = handle;
            }
        }

        _db.EvaluateNowAsync().GetAwaiter().GetResult();
        if (_db.Count != Peers || _db.Inquire(_handle).State != IpsecLatchState.Established)
        {
            throw new InvalidOperationException("the latches are not all ESTABLISHED");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _db.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _cache.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>What a server checks before each read or write on a latched connection.</summary>
    [Benchmark(Baseline = true)]
    public IpsecLatchParameters EnsureEstablished() => _db.EnsureEstablished(_handle);

    /// <summary>The latch's state and parameters.</summary>
    [Benchmark]
    public IpsecLatchInfo Inquire() => _db.Inquire(_handle);

    /// <summary>One re-evaluation of all 1,000 latches against the cache (what each cache change costs).</summary>
    [Benchmark]
    public Task EvaluateAll() => _db.EvaluateNowAsync();
}
