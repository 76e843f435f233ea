using BenchmarkDotNet.Attributes;
using CbbToolkit.Benchmarks.Support;
using CbbToolkit.Ipsec.Vici;

namespace CbbToolkit.Benchmarks;

/// <summary>
/// Suite 5c (issue 3): VICI round trips against a real strongSwan charon. Two charons run in two network namespaces
/// (tests/lab/strongswan/lab-pair.sh: raw ECDSA keys, one IKE SA with one child SA); the client talks to peer a's
/// socket. Goal: list-sas for one SA under 5 ms. Needs root and the strongswan-charon/swanctl packages.
/// </summary>
[MemoryDiagnoser]
public class ViciRoundTripBenchmarks
{
    private string _work = null!;
    private ViciClient _client = null!;
    private Dictionary<string, string> _environment = null!;

    [GlobalSetup]
    public void Setup()
    {
        _work = Directory.CreateTempSubdirectory("cbb-bench-vici-").FullName;
        var id = Environment.ProcessId;
        _environment = new() { ["NS_A"] = $"cbb-bva-{id}", ["NS_B"] = $"cbb-bvb-{id}" };
        try
        {
            Command.Run("sh", [RepoPaths.Combine("tests", "lab", "strongswan", "lab-pair.sh"), "up", _work], TimeSpan.FromSeconds(60), _environment);
            _client = new ViciClient($"unix://{Path.Combine(_work, "a", "charon.vici")}");
            var sas = _client.ListIkeSasAsync().GetAwaiter().GetResult();
            if (sas.Count != 1 || sas[0].State != "ESTABLISHED" || sas[0].ChildSas.Count != 1)
            {
                throw new InvalidOperationException($"Expected one established IKE SA with one child SA, got {sas.Count}: {string.Join("; ", sas)}");
            }
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
        // Idempotent: a failed set-up cleans up itself, and BenchmarkDotNet may call this again.
        _client?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _client = null!;
        if (Directory.Exists(_work))
        {
            Command.Run("sh", [RepoPaths.Combine("tests", "lab", "strongswan", "lab-pair.sh"), "down", _work], TimeSpan.FromSeconds(60), _environment);
            Directory.Delete(_work, recursive: true);
        }
    }

    /// <summary>The goal's row: list-sas (streamed list-sa event, then the response) parsed into typed SAs.</summary>
    [Benchmark(Baseline = true)]
    public Task<IReadOnlyList<IkeSa>> ListSas_OneSa() => _client.ListIkeSasAsync();

    /// <summary>The smallest command: one request, one response.</summary>
    [Benchmark]
    public Task<ViciVersion> Version() => _client.GetVersionAsync();
}
