using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using CbbToolkit.Benchmarks.Support;
using CbbToolkit.Channels;

namespace CbbToolkit.Benchmarks;

/// <summary>
/// Suite 3 (issue 2): comparing channel information from a real handshake. Goal: under 100 ns. Both comparisons are
/// constant time in the values, so the equal case (every byte compared) is the one that counts; unequal rows show it.
/// </summary>
[MemoryDiagnoser]
public class BindingComparisonBenchmarks
{
    private ChannelInfo _client = null!;
    private ChannelInfo _server = null!;
    private ChannelInfo _clientCopy = null!;
    private ChannelInfo _otherClient = null!;
    private byte[] _exporterA = null!;
    private byte[] _exporterB = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_client, _server) = RealChannelInfo.FromHandshake();
        _clientCopy = _client.Duplicate();
        _otherClient = RealChannelInfo.FromHandshake().Client;
        _exporterA = _client.GetBytes(ChannelAttributeType.TlsExporter)!;
        _exporterB = _server.GetBytes(ChannelAttributeType.TlsExporter)!;
        if (!ChannelInfo.BindingEquals(_client, _server, ChannelAttributeType.TlsExporter) || !_client.Equals(_clientCopy)
            || ChannelInfo.BindingEquals(_client, _otherClient, ChannelAttributeType.TlsExporter))
        {
            throw new InvalidOperationException("The channel information does not compare as a real handshake's must.");
        }
    }

    /// <summary>Client's against server's tls-exporter of the same session (equal: all 32 octets compared).</summary>
    [Benchmark(Baseline = true)]
    public bool BindingEquals_TlsExporter_Equal() => ChannelInfo.BindingEquals(_client, _server, ChannelAttributeType.TlsExporter);

    [Benchmark]
    public bool BindingEquals_TlsExporter_Different() => ChannelInfo.BindingEquals(_client, _otherClient, ChannelAttributeType.TlsExporter);

    [Benchmark]
    public bool BindingEquals_TlsServerEndPoint_Equal() => ChannelInfo.BindingEquals(_client, _server, ChannelAttributeType.TlsServerEndPoint);

    /// <summary>Every attribute of two equal channel infos (includes the ~400-octet certificate).</summary>
    [Benchmark]
    public bool Equals_Full_Equal() => _client.Equals(_clientCopy);

    [Benchmark]
    public bool Equals_Full_Different() => _client.Equals(_otherClient);

    /// <summary>What BindingEquals builds on: finding the attribute (binary search over the sorted attributes).</summary>
    [Benchmark]
    public bool TryGet_TlsExporter() => _client.TryGet(ChannelAttributeType.TlsExporter, out _);

    /// <summary>And the constant-time comparison of two 32-octet values by itself.</summary>
    [Benchmark]
    public bool Raw_FixedTimeEquals_32B() => CryptographicOperations.FixedTimeEquals(_exporterA, _exporterB);

    /// <summary>The toolkit's own constant-time comparison (what BindingEquals now uses) on the same two values.</summary>
    [Benchmark]
    public bool Raw_ConstantTimeBytes_32B() => ConstantTimeBytes.AreEqual(_exporterA, _exporterB);
}
