using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CbbToolkit.Http.Diagnostics;

/// <summary>The HttpClient handler's instruments, on the meter <see cref="MeterName"/>.</summary>
public sealed class IpsecHttpMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CbbToolkit.Http";

    private static readonly Meter s_shared = new(MeterName);

    private readonly Counter<long> _opened;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _latchBroken;
    private readonly Histogram<double> _connectDuration;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or on a shared meter.</summary>
    /// <param name="meterFactory">The DI meter factory, if any.</param>
    public IpsecHttpMetrics(IMeterFactory? meterFactory = null)
    {
        var meter = meterFactory?.Create(MeterName) ?? s_shared;
        _opened = meter.CreateCounter<long>("cbb.http.connections.opened", description: "Connections the handler opened, by channel (ipsec-verified, ipsec, clear) and TLS.");
        _refused = meter.CreateCounter<long>("cbb.http.connections.refused", description: "Connections the handler refused, by reason.");
        _latchBroken = meter.CreateCounter<long>("cbb.http.latch.broken", description: "Connections closed because their IPsec latch broke.");
        _connectDuration = meter.CreateHistogram<double>("cbb.http.connect.duration", unit: "s", description: "Time to open a connection: connect, resolve, latch and TLS.");
    }

    internal void Opened(IpsecConnectionInfo info, TimeSpan elapsed)
    {
        var tags = new TagList { { "cbb.channel", info.IsVerified ? "ipsec-verified" : info.IsProtected ? "ipsec" : "clear" }, { "cbb.tls", info.IsTls } };
        _opened.Add(1, tags);
        _connectDuration.Record(elapsed.TotalSeconds, tags);
    }

    internal void Refused(IpsecChannelRefusal reason) => _refused.Add(1, new TagList { { "cbb.reason", reason.ToString() } });

    internal void LatchBroken() => _latchBroken.Add(1);
}
