using System.Diagnostics;
using System.Diagnostics.Metrics;
using CbbToolkit.Channels.Bindings;

namespace CbbToolkit.Kestrel.Binding;

/// <summary>
/// The HTTP server end's instruments on the meter <see cref="MeterName"/>: <c>cbb.kestrel.binding.refused</c> (tags
/// <c>cbb.stage</c>, <c>cbb.reason</c>) for refusals the HTTP layer makes itself (bad headers, no TLS, no principal, store
/// failures); the protocol's own refusals are counted by <see cref="BindingMetrics"/>. Also <c>cbb.kestrel.binding.created</c>
/// and <c>cbb.kestrel.binding.used</c>.
/// </summary>
public sealed class BindingServerMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CbbToolkit.Kestrel.Binding";

    private readonly Counter<long> _refused;
    private readonly Counter<long> _created;
    private readonly Counter<long> _used;

    /// <summary>Instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public BindingServerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        // The factory owns and disposes the meter.
#pragma warning disable CA2000
        var meter = meterFactory.Create(MeterName);
#pragma warning restore CA2000
        _refused = meter.CreateCounter<long>("cbb.kestrel.binding.refused", description: "Binding requests the HTTP server end refused before or after the protocol (bad header, no TLS, no principal, store failure).");
        _created = meter.CreateCounter<long>("cbb.kestrel.binding.created", description: "Bindings recorded at first contact over HTTPS.");
        _used = meter.CreateCounter<long>("cbb.kestrel.binding.used", description: "Connections authenticated by a proven binding.");
    }

    internal void Refused(BindingStage stage, string reason) =>
        _refused.Add(1, new TagList { { "cbb.stage", stage == BindingStage.FirstContact ? "first-contact" : "resume" }, { "cbb.reason", reason } });

    internal void Created() => _created.Add(1);

    internal void Used() => _used.Add(1);
}
