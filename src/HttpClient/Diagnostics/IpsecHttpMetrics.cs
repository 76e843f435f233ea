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
    private readonly Counter<long> _bindingCreated;
    private readonly Counter<long> _bindingUsed;
    private readonly Counter<long> _bindingRefused;
    private readonly Counter<long> _fallbacks;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or on a shared meter.</summary>
    /// <param name="meterFactory">The DI meter factory, if any.</param>
    public IpsecHttpMetrics(IMeterFactory? meterFactory = null)
    {
        var meter = meterFactory?.Create(MeterName) ?? s_shared;
        _opened = meter.CreateCounter<long>("cbb.http.connections.opened", description: "Connections the handler opened, by channel (ipsec-verified, ipsec, clear) and TLS.");
        _refused = meter.CreateCounter<long>("cbb.http.connections.refused", description: "Connections the handler refused, by reason.");
        _latchBroken = meter.CreateCounter<long>("cbb.http.latch.broken", description: "Connections closed because their IPsec latch broke.");
        _bindingCreated = meter.CreateCounter<long>("cbb.http.binding.created", description: "Bindings made at first contact over TLS and kept with the pin.");
        _bindingUsed = meter.CreateCounter<long>("cbb.http.binding.used", description: "Connections that proved a binding (credentials dropped).");
        _bindingRefused = meter.CreateCounter<long>("cbb.http.binding.refused", description: "First contacts whose binding was refused, by reason (the request was served over TLS).");
        _fallbacks = meter.CreateCounter<long>("cbb.http.binding.fallbacks", description: "Requests sent again over TLS with the normal credentials on a new connection, by reason.");
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

    internal void BindingCreated() => _bindingCreated.Add(1);

    internal void BindingUsed() => _bindingUsed.Add(1);

    internal void BindingRefused(string reason) => _bindingRefused.Add(1, new TagList { { "cbb.reason", reason } });

    internal void Fallback(IpsecFallbackReason reason) => _fallbacks.Add(1, new TagList { { "cbb.reason", reason.ToToken() } });
}
