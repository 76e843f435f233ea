using BenchmarkDotNet.Attributes;
using CbbToolkit.Benchmarks.Support;

namespace CbbToolkit.Benchmarks;

/// <summary>
/// Suite 5a (issue 3), SAs: parsing a netlink dump of 10,000 SAs (the loop of XfrmClient.ListStatesAsync without the
/// socket). Source "uml-kernel": the dump a real kernel sent, captured in User-Mode Linux by
/// benchmarks/capture/capture-sa-dump.sh (the host kernel has no ESP); "encoder": the same SAs written by the library's
/// own encoder. Goal (with the policy dump): under 50 ms.
/// </summary>
[MemoryDiagnoser]
public class XfrmSaDumpBenchmarks
{
    private const int Count = 10_000;
    private byte[][] _datagrams = null!;

    /// <summary>Where the dump comes from (uml-kernel only when the capture exists).</summary>
    [ParamsSource(nameof(Sources))]
    public string Source { get; set; } = "encoder";

    public static IEnumerable<string> Sources() =>
        File.Exists(XfrmCaptures.SaDumpPath) ? ["uml-kernel", "encoder"] : ["encoder"];

    [GlobalSetup]
    public void Setup()
    {
        _datagrams = Source == "uml-kernel"
            ? NetlinkDump.ReadCapture(XfrmCaptures.SaDumpPath)
            : NetlinkDump.EncodeStates(XfrmDataset.States(Count));
        var states = NetlinkDump.ParseStates(_datagrams);
        var expected = XfrmDataset.States(Count).Select(s => (s.Spi, s.RequestId, s.Aead!.Name)).ToHashSet();
        if (states.Count != Count || !states.All(s => expected.Contains((s.Spi, s.RequestId, s.Aead?.Name ?? ""))))
        {
            throw new InvalidOperationException($"The {Source} dump holds {states.Count} SAs, not the {Count} of xfrm-batch.py.");
        }

        Console.WriteLine($"// SA dump ({Source}): {_datagrams.Length} datagrams, {_datagrams.Sum(d => d.Length)} octets, {states.Count} SAs");
    }

    [Benchmark(Baseline = true)]
    public int ParseSaDump_10k() => NetlinkDump.ParseStates(_datagrams).Count;

    /// <summary>Every SA decoded but none kept: the decoding alone, without the garbage collector promoting 10,000 live SAs.</summary>
    [Benchmark]
    public int DecodeNotKept_10k() => NetlinkDump.DecodeStatesNotKept(_datagrams);

    /// <summary>Only the netlink framing (NetlinkReader over every message): what the SA codec adds is the difference.</summary>
    [Benchmark]
    public int WalkMessagesOnly_10k() => NetlinkDump.CountMessages(_datagrams);
}
