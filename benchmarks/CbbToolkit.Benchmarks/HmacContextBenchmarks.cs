using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace CbbToolkit.Benchmarks;

/// <summary>
/// Issue 8: what one HMAC-SHA256 over a resume transcript (121 octets) costs on .NET's OpenSSL backend, by how the
/// context is held: a one-shot call (looks up the HMAC implementation every time), a kept
/// <see cref="IncrementalHash"/> re-armed by GetHashAndReset (what the binding records use), and a kept
/// <see cref="HMACSHA256"/> instance. All three give the same MAC (checked in set-up).
/// </summary>
[MemoryDiagnoser]
public class HmacContextBenchmarks
{
    private readonly byte[] _key = SHA256.HashData("key"u8);
    private readonly byte[] _data = new byte[121];
    private readonly byte[] _mac = new byte[32];
    private IncrementalHash _incremental = null!;
    private HMACSHA256 _instance = null!;

    [GlobalSetup]
    public void Setup()
    {
        _incremental = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        _instance = new HMACSHA256(_key);
        var a = HMACSHA256.HashData(_key, _data);
        Incremental();
        var b = _mac.ToArray();
        Instance();
        if (!a.AsSpan().SequenceEqual(b) || !a.AsSpan().SequenceEqual(_mac))
        {
            throw new InvalidOperationException("The three HMACs differ.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _incremental.Dispose();
        _instance.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int OneShot() => HMACSHA256.HashData(_key, _data, _mac);

    [Benchmark]
    public int Incremental()
    {
        _incremental.AppendData(_data);
        return _incremental.GetHashAndReset(_mac);
    }

    [Benchmark]
    public bool Instance() => _instance.TryComputeHash(_data, _mac, out _);
}
