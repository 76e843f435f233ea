using System.Diagnostics.Metrics;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Ipsec.Latching;

namespace CbbToolkit.Kestrel;

/// <summary>
/// The Kestrel integration's instruments on the meter <see cref="MeterName"/>:
/// <list type="bullet">
/// <item><c>cbb.kestrel.connections</c> (counter; tags <c>outcome</c> = verified | accepted | refused | not_checked, and
/// <c>status</c> = the <see cref="IpsecChannelStatus"/>): every downgrade is counted here;</item>
/// <item><c>cbb.kestrel.connections.active</c> (up-down counter): connections the middleware holds now;</item>
/// <item><c>cbb.kestrel.resolve.duration</c> (histogram, seconds): resolving and latching one connection;</item>
/// <item><c>cbb.kestrel.latch.lost</c> (counter; tag <c>state</c> = broken | closed): connections aborted by their latch;</item>
/// <item><c>cbb.kestrel.bindings.created</c>, <c>cbb.kestrel.bindings.used</c>, <c>cbb.kestrel.bindings.refused</c> (counters;
/// refused tagged with <c>reason</c>): the binding exchange's server end reports through <see cref="BindingCreated"/>,
/// <see cref="BindingUsed"/> and <see cref="BindingRefused"/>.</item>
/// </list>
/// </summary>
public sealed class IpsecChannelMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CbbToolkit.Kestrel";

    private readonly Counter<long> _connections;
    private readonly UpDownCounter<long> _active;
    private readonly Histogram<double> _resolve;
    private readonly Counter<long> _latchLost;
    private readonly Counter<long> _bindingsCreated;
    private readonly Counter<long> _bindingsUsed;
    private readonly Counter<long> _bindingsRefused;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public IpsecChannelMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _connections = meter.CreateCounter<long>("cbb.kestrel.connections", "{connection}", "Connections checked, by outcome and status.");
        _active = meter.CreateUpDownCounter<long>("cbb.kestrel.connections.active", "{connection}", "Connections the IPsec middleware holds.");
        _resolve = meter.CreateHistogram<double>("cbb.kestrel.resolve.duration", "s", "Resolving, verifying and latching one connection's channel.");
        _latchLost = meter.CreateCounter<long>("cbb.kestrel.latch.lost", "{connection}", "Connections aborted because their latch went BROKEN or CLOSED.");
        _bindingsCreated = meter.CreateCounter<long>("cbb.kestrel.bindings.created", "{binding}", "Bindings created by a first-contact exchange.");
        _bindingsUsed = meter.CreateCounter<long>("cbb.kestrel.bindings.used", "{binding}", "Connections authenticated by a proven binding.");
        _bindingsRefused = meter.CreateCounter<long>("cbb.kestrel.bindings.refused", "{binding}", "Binding requests or proofs refused, by reason.");
    }

    /// <summary>Counts a binding created on a connection.</summary>
    public void BindingCreated() => _bindingsCreated.Add(1);

    /// <summary>Counts a connection authenticated by a proven binding.</summary>
    public void BindingUsed() => _bindingsUsed.Add(1);

    /// <summary>Counts a refused binding, tagged with why.</summary>
    public void BindingRefused(BindingFailureReason reason) =>
        _bindingsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString()));

    internal void Connection(string outcome, IpsecChannelStatus status) =>
        _connections.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("status", status.ToString()));

    internal void Active(int delta) => _active.Add(delta);

    internal void Resolved(TimeSpan elapsed) => _resolve.Record(elapsed.TotalSeconds);

    internal void LatchLost(IpsecLatchState state) =>
        _latchLost.Add(1, new KeyValuePair<string, object?>("state", state == IpsecLatchState.Broken ? "broken" : "closed"));
}
