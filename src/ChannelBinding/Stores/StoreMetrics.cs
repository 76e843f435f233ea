using System.Diagnostics.Metrics;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// The stores' instruments on the meter <see cref="MeterName"/>: <c>cbb.store.pin.writes</c> (tag <c>outcome</c>:
/// pinned, replaced, mismatch, not-trusted), <c>cbb.store.binding.lookups</c> (tag <c>result</c>: found, not-found,
/// expired, revoked, bad-entry), <c>cbb.store.binding.created</c> and <c>cbb.store.binding.revoked</c>.
/// </summary>
public sealed class StoreMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CbbToolkit.Stores";

    private static readonly Meter s_shared = new(MeterName);

    private readonly Counter<long> _pinWrites;
    private readonly Counter<long> _lookups;
    private readonly Counter<long> _created;
    private readonly Counter<long> _revoked;

    /// <summary>Instruments on a meter from <paramref name="meterFactory"/>, or on a process-wide meter without one.</summary>
    public StoreMetrics(IMeterFactory? meterFactory = null)
    {
        var meter = meterFactory?.Create(MeterName) ?? s_shared;
        _pinWrites = meter.CreateCounter<long>("cbb.store.pin.writes", description: "Pin store writes by outcome (mismatches are refusals).");
        _lookups = meter.CreateCounter<long>("cbb.store.binding.lookups", description: "Server binding store lookups by result.");
        _created = meter.CreateCounter<long>("cbb.store.binding.created", description: "Bindings stored by a server binding store.");
        _revoked = meter.CreateCounter<long>("cbb.store.binding.revoked", description: "Bindings revoked.");
    }

    internal static StoreMetrics Shared { get; } = new();

    internal void PinWrite(string outcome) => _pinWrites.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    internal void Lookup(string result) => _lookups.Add(1, new KeyValuePair<string, object?>("result", result));

    internal void Created() => _created.Add(1);

    internal void Revoked() => _revoked.Add(1);

    internal static string Name(ChannelBindingLookupStatus status) => status switch
    {
        ChannelBindingLookupStatus.Found => "found",
        ChannelBindingLookupStatus.Expired => "expired",
        ChannelBindingLookupStatus.Revoked => "revoked",
        _ => "not-found",
    };
}
