using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Ipsec;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Benchmarks;

/// <summary>
/// Issue 8 item 5: the client pin store (<see cref="SqlitePinStore"/>) on a real file holding 1,000 pins. Goals: a warm
/// pin lookup under 1 us; a durable pin write (one SQLite transaction, WAL fsynced before it returns) under 10 ms.
/// The set-up checks that lookups find the right pin and that a write reaches the file.
/// </summary>
[MemoryDiagnoser]
public class PinStoreBenchmarks
{
    private const int Pins = 1_000;
    private const string Authority = "server-500.test:443";

    private static readonly IpsecIdentity ServerIpsec = new("server.test", IpsecAuthenticationMethod.PkixTrusted, SHA256.HashData("ike key"u8));

    private string _directory = null!;
    private SqlitePinStore _store = null!;
    private byte[] _spki = null!;
    private ChannelBindingRecord _even = null!;
    private ChannelBindingRecord _odd = null!;
    private long _writes;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("cbb-bench-pins-").FullName;
        _store = new SqlitePinStore(Options.Create(new PinStoreOptions { Path = Path.Combine(_directory, "pins.db") }));
        for (var i = 0; i < Pins; i++)
        {
            using var record = Record($"server-{i}.test:443", SHA256.HashData(BitConverter.GetBytes(i)));
            _store.PinAsync(record, allowLeapOfFaith: true).AsTask().GetAwaiter().GetResult();
        }

        _spki = SHA256.HashData(BitConverter.GetBytes(500));
        _even = Record(Authority, _spki);
        _odd = Record(Authority, _spki);
        if (_store.Find(Authority) is not { } pin || !pin.ServerSpkiSha256.Span.SequenceEqual(_spki)
            || _store.Verify(Authority, _spki, ServerIpsec) != PinVerification.Match)
        {
            throw new InvalidOperationException("the lookup did not find the pin it was set up with");
        }

        using var check = new SqlitePinStore(Options.Create(new PinStoreOptions { Path = _store.Path }));
        if (check.Find("server-999.test:443") is null)
        {
            throw new InvalidOperationException("the pins written in the set-up are not in the file");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _even.Dispose();
        _odd.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The goal's lookup: a pinned authority, already canonical, from the warm in-memory snapshot.</summary>
    [Benchmark]
    public ServerPin? Find_Warm() => _store.Find(Authority);

    /// <summary>Lookup plus the identity check a client makes on each TLS connection.</summary>
    [Benchmark]
    public PinVerification Verify_Warm() => _store.Verify(Authority, _spki, ServerIpsec);

    /// <summary>The goal's write: a known server's new binding replaces the old one, durably (alternating two records).</summary>
    [Benchmark]
    public PinWriteOutcome Pin_Durable() =>
        _store.PinAsync(_writes++ % 2 == 0 ? _even : _odd, allowLeapOfFaith: false).AsTask().GetAwaiter().GetResult();

    private static ChannelBindingRecord Record(string authority, byte[] spki)
    {
        var now = DateTimeOffset.UtcNow;
        return new ChannelBindingRecord(BindingId.NewId(), BindingProtocolVersion.V1, ChannelRole.Client, new BindingSecret(RandomNumberGenerator.GetBytes(32)),
            IpsecIdentity.Unauthenticated, ServerIpsec, null, spki, authority, now, now.AddDays(1));
    }
}
