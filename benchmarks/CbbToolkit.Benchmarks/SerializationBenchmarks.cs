using BenchmarkDotNet.Attributes;
using CbbToolkit.Benchmarks.Support;
using CbbToolkit.Channels;

namespace CbbToolkit.Benchmarks;

/// <summary>
/// Suite 4 (issue 2): the canonical binary form and the JSON form of typical channel information from a real TLS 1.3
/// handshake (tls-exporter, tls-server-end-point, peer certificate and SPKI; about 450 octets). Goal: serialize + parse
/// under 2 us.
/// </summary>
[MemoryDiagnoser]
public class SerializationBenchmarks
{
    private ChannelInfo _info = null!;
    private byte[] _bytes = null!;
    private byte[] _buffer = null!;
    private string _json = null!;

    /// <summary>The size of the binary form, for the report.</summary>
    public int SerializedLength => _bytes.Length;

    [GlobalSetup]
    public void Setup()
    {
        _info = RealChannelInfo.FromHandshake().Client;
        _bytes = _info.ToBytes();
        _buffer = new byte[ChannelInfo.MaxSerializedLength];
        _json = _info.ToJson();
        if (!ChannelInfo.Parse(_bytes).Equals(_info) || !ChannelInfo.FromJson(_json).Equals(_info))
        {
            throw new InvalidOperationException("Round trip lost information.");
        }

        Console.WriteLine($"// Typical channel info: {_info}; binary form {_bytes.Length} octets, JSON {_json.Length} characters.");
    }

    /// <summary>The goal's row: serialize and parse back.</summary>
    [Benchmark(Baseline = true)]
    public ChannelInfo RoundTrip_Binary() => ChannelInfo.Parse(_info.ToBytes());

    [Benchmark]
    public byte[] ToBytes() => _info.ToBytes();

    /// <summary>Serialize into a caller's buffer (no allocation).</summary>
    [Benchmark]
    public int WriteTo() => _info.WriteTo(_buffer);

    [Benchmark]
    public ChannelInfo Parse() => ChannelInfo.Parse(_bytes);

    [Benchmark]
    public string ToJson() => _info.ToJson();

    [Benchmark]
    public ChannelInfo FromJson() => ChannelInfo.FromJson(_json);

    [Benchmark]
    public ChannelInfo RoundTrip_Json() => ChannelInfo.FromJson(_info.ToJson());
}
