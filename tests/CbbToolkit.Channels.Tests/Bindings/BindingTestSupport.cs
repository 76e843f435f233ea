using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Channels.Tests.Bindings;

/// <summary>IPsec channel information as the converters would fill it, for the exchange's unit and loopback tests.</summary>
internal static class TestChannels
{
    public static byte[] Value(byte seed) => SHA256.HashData([seed]);

    /// <summary>An end's channel: its ipsec-sa-binding, optional ipsec-end-point-sha256, latch state, and the peer's IKE identity.</summary>
    public static ChannelInfo Make(byte[]? saBinding, byte[]? endPoint = null, IpsecLatchState? latch = IpsecLatchState.Established,
        string? peerId = null, IpsecAuthenticationMethod peerAuth = IpsecAuthenticationMethod.Null, byte[]? peerKey = null)
    {
        var info = ChannelInfo.Empty.With(ChannelAttributeType.IpsecProtocol, [50]);
        if (saBinding is not null)
        {
            info = info.With(ChannelAttributeType.IpsecSaBinding, saBinding);
        }

        if (endPoint is not null)
        {
            info = info.With(ChannelAttributeType.IpsecEndPointSha256, endPoint);
        }

        if (latch is { } state)
        {
            info = info.With(ChannelAttributeType.LatchState, [(byte)state]);
        }

        info = info.With(ChannelAttributeType.IpsecAuthenticationMethod, [(byte)peerAuth]);
        if (peerId is not null)
        {
            info = info.With(ChannelAttributeType.IpsecPeerId, System.Text.Encoding.UTF8.GetBytes(peerId));
        }

        return peerKey is null ? info : info.With(ChannelAttributeType.IpsecPeerPublicKey, peerKey);
    }

    /// <summary>The two views of one TCP flow: the client's (local = client) and the server's.</summary>
    public static (IpsecFlow Client, IpsecFlow Server) Flow(int clientPort, int serverPort = 8080)
    {
        var client = new IPEndPoint(IPAddress.Parse("10.99.0.1"), clientPort);
        var server = new IPEndPoint(IPAddress.Parse("10.99.0.2"), serverPort);
        return (new IpsecFlow(client, server, ProtocolType.Tcp), new IpsecFlow(server, client, ProtocolType.Tcp));
    }
}

/// <summary>A clock the test moves.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Log events a test can inspect.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    public List<(EventId Id, LogLevel Level, string Message)> Events { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Events)
        {
            Events.Add((eventId, logLevel, formatter(state, exception)));
        }
    }
}

/// <summary>A meter factory whose meters only this test listens to (tests run in parallel).</summary>
internal sealed class TestMeters : IMeterFactory
{
    private readonly MeterListener _listener = new();
    private readonly List<Meter> _meters = [];

    public TestMeters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == this)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var reason = string.Empty;
            foreach (var tag in tags)
            {
                if (tag.Key == "cbb.reason")
                {
                    reason = (string)tag.Value!;
                }
            }

            lock (Counts)
            {
                var key = (instrument.Name, reason);
                Counts[key] = Counts.GetValueOrDefault(key) + value;
            }
        });
        _listener.Start();
    }

    public Dictionary<(string Instrument, string Reason), long> Counts { get; } = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Scope = this });
        _meters.Add(meter);
        _listener.RecordObservableInstruments();
        return meter;
    }

    public void Dispose()
    {
        _listener.Dispose();
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}

/// <summary>One exchange per role with its own clock, log and meters.</summary>
internal sealed class ExchangeUnderTest : IDisposable
{
    public ExchangeUnderTest(BindingExchangeOptions? options = null)
    {
        Exchange = new BindingExchange(Options.Create(options ?? new BindingExchangeOptions()), Log, Time, new BindingMetrics(Meters));
    }

    public ManualTime Time { get; } = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));

    public CapturingLogger<BindingExchange> Log { get; } = new();

    public TestMeters Meters { get; } = new();

    public BindingExchange Exchange { get; }

    public long Refused(BindingFailureReason reason)
    {
        lock (Meters.Counts)
        {
            return Meters.Counts.GetValueOrDefault(("cbb.binding.refused", reason.ToToken()));
        }
    }

    public void Dispose() => Meters.Dispose();
}

internal static class BigEndian
{
    public static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
