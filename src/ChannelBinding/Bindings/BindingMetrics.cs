using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CbbToolkit.Channels.Bindings;

/// <summary>
/// The binding exchange's instruments on the meter <see cref="MeterName"/>: <c>cbb.binding.completed</c> (tags
/// <c>cbb.role</c>, <c>cbb.stage</c>) and <c>cbb.binding.refused</c> (also <c>cbb.reason</c>, the reason's token).
/// </summary>
public sealed class BindingMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CbbToolkit.Bindings";

    private static readonly Meter s_shared = new(MeterName);

    private readonly Counter<long> _completed;
    private readonly Counter<long> _refused;

    /// <summary>Instruments on a meter from <paramref name="meterFactory"/>, or on a process-wide meter when null.</summary>
    public BindingMetrics(IMeterFactory? meterFactory = null)
    {
        var meter = meterFactory?.Create(MeterName) ?? s_shared;
        _completed = meter.CreateCounter<long>("cbb.binding.completed", description: "Binding exchanges and bound connections that succeeded.");
        _refused = meter.CreateCounter<long>("cbb.binding.refused", description: "Binding exchanges and bound connections refused (each one fell back to TLS and normal credentials).");
    }

    internal void Completed(ChannelRole role, BindingStage stage) =>
        _completed.Add(1, new TagList { { "cbb.role", RoleTag(role) }, { "cbb.stage", StageTag(stage) } });

    internal void Refused(ChannelRole role, BindingStage stage, BindingFailureReason reason) =>
        _refused.Add(1, new TagList { { "cbb.role", RoleTag(role) }, { "cbb.stage", StageTag(stage) }, { "cbb.reason", reason.ToToken() } });

    private static string RoleTag(ChannelRole role) => role == ChannelRole.Client ? "client" : "server";

    private static string StageTag(BindingStage stage) => stage == BindingStage.FirstContact ? "first-contact" : "resume";
}
