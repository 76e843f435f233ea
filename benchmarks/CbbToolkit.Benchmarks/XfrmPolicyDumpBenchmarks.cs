using BenchmarkDotNet.Attributes;
using CbbToolkit.Benchmarks.Support;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Benchmarks;

/// <summary>
/// Suite 5a (issue 3), policies: 10,000 policies added with <c>ip -batch</c> in a network namespace of the host kernel.
/// ParsePolicyDump_10k parses the dump the kernel sent (captured by benchmarks/capture/xfrm-dump.py); LiveDump adds
/// the kernel and the socket (XfrmClient.ListPoliciesAsync); IpXfrmPolicy is iproute2 listing the same policies
/// (process start and formatting included), for comparison. ParseBoth adds the 10,000-SA dump of the SA suite (real
/// when captured, else encoded): the goal's row, under 50 ms. Needs root.
/// </summary>
[MemoryDiagnoser]
public class XfrmPolicyDumpBenchmarks
{
    private const int Count = 10_000;
    private readonly string _namespace = $"cbb-bench-xfrm-{Environment.ProcessId}";
    private byte[][] _policyDump = null!;
    private byte[][] _saDump = null!;
    private XfrmClient? _client;

    [GlobalSetup]
    public void Setup()
    {
        try
        {
            XfrmCaptures.CreatePolicyNamespace(_namespace, Count);
            _policyDump = XfrmCaptures.CapturePolicyDump(_namespace);
            var policies = NetlinkDump.ParsePolicies(_policyDump);
            if (policies.Count != Count || policies.Any(p => p.Templates.Count != 1 || p.Priority != 1000))
            {
                throw new InvalidOperationException($"The kernel's dump holds {policies.Count} policies, not the {Count} added.");
            }

            _saDump = File.Exists(XfrmCaptures.SaDumpPath)
                ? NetlinkDump.ReadCapture(XfrmCaptures.SaDumpPath)
                : NetlinkDump.EncodeStates(XfrmDataset.States(Count));
            _client = XfrmClient.Open(_namespace);
            Console.WriteLine($"// Policy dump: {_policyDump.Length} datagrams, {_policyDump.Sum(d => d.Length)} octets; " +
                $"SA dump from {(File.Exists(XfrmCaptures.SaDumpPath) ? "the UML kernel capture" : "the encoder")}");
        }
        catch
        {
            Cleanup();
            throw;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.Dispose();
        _client = null;
        if (File.Exists($"/run/netns/{_namespace}"))
        {
            Command.Run("ip", ["netns", "del", _namespace]);
        }
    }

    [Benchmark(Baseline = true)]
    public int ParsePolicyDump_10k() => NetlinkDump.ParsePolicies(_policyDump).Count;

    /// <summary>The goal's row: 10,000 policies and 10,000 SAs parsed.</summary>
    [Benchmark]
    public int ParseBoth_10kPolicies_10kSas() => NetlinkDump.ParsePolicies(_policyDump).Count + NetlinkDump.ParseStates(_saDump).Count;

    /// <summary>What an application pays: request, kernel dump, receive and parse.</summary>
    [Benchmark]
    public async Task<int> LiveDumpPolicies_10k() => (await _client!.ListPoliciesAsync()).Count;

    /// <summary><c>ip -n NS xfrm policy</c>: iproute2 listing the same 10,000 policies (output read and dropped).</summary>
    [Benchmark]
    public long IpXfrmPolicy_10k() => XfrmCaptures.RunDiscardingOutput("ip", "-n", _namespace, "xfrm", "policy");
}
