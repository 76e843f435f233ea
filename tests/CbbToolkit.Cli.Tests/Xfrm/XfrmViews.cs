using System.Text.Json;
using CbbToolkit.Testing.Iproute2;

namespace CbbToolkit.Cli.Tests.Xfrm;

/// <summary>A policy reduced to the fields cbb prints, from either <c>ip -s xfrm policy</c> or cbb's JSON.</summary>
internal sealed record PolicyView(string Dir, string Src, string Dst, string? Proto, int Sport, int Dport, uint Priority, uint Index,
    string Action, string Templates);

/// <summary>An SA reduced to the fields cbb prints, from either <c>ip -s xfrm state</c> or cbb's JSON.</summary>
internal sealed record StateView(string Src, string Dst, string Proto, string Spi, uint RequestId, string Mode, string Selector, ulong Bytes, ulong Packets);

/// <summary>
/// Brings what iproute2 shows (parsed by the shared <see cref="IpXfrmParser"/>) and what cbb prints as JSON into the
/// same views, so a test compares the two.
/// </summary>
internal static class XfrmViews
{
    /// <summary>The namespace's policies as ip shows them.</summary>
    public static List<PolicyView> Policies(string netns) => [.. IpXfrm.Policies(netns).Select(Of)];

    /// <summary>The namespace's SAs as ip shows them.</summary>
    public static List<StateView> States(string netns) => [.. IpXfrm.States(netns).Select(Of)];

    /// <summary>SAs from <c>ip -s xfrm state</c> text.</summary>
    public static List<StateView> States(IEnumerable<IpXfrmState> states) => [.. states.Select(Of)];

    public static PolicyView Of(IpXfrmPolicy p) => new(
        p.IsSocketPolicy ? p.Direction.Replace(' ', '-') : p.Direction, p.Selector.Source, p.Selector.Destination, p.Selector.Protocol,
        p.Selector.SourcePort ?? 0, p.Selector.DestinationPort ?? 0, p.Priority, p.Index, p.Action,
        string.Join(" ", p.Templates.Select(t =>
            $"{t.Protocol}/{t.Mode}/{t.RequestId}/{t.Source}/{t.Destination}/{(t.IsOptional ? "optional" : "required")}")));

    public static StateView Of(IpXfrmState s)
    {
        var current = s.Current ?? throw new FormatException("no counters: read the SAs with ip -s xfrm state");
        return new StateView(s.Source, s.Destination, s.Protocol, $"0x{s.Spi:x8}", s.RequestId, s.Mode,
            $"{s.Selector.Source} {s.Selector.Destination} {s.Selector.Protocol} {s.Selector.SourcePort ?? 0} {s.Selector.DestinationPort ?? 0}",
            (ulong)current.Bytes, (ulong)current.Packets);
    }

    public static PolicyView FromJson(JsonElement p) => new(
        p.GetProperty("dir").GetString()!, p.GetProperty("src").GetString()!, p.GetProperty("dst").GetString()!,
        p.GetProperty("proto").GetString(), p.GetProperty("sport").GetInt32(), p.GetProperty("dport").GetInt32(),
        p.GetProperty("priority").GetUInt32(), p.GetProperty("index").GetUInt32(), p.GetProperty("action").GetString()!,
        string.Join(" ", p.GetProperty("templates").EnumerateArray().Select(t =>
            $"{t.GetProperty("proto").GetString()}/{t.GetProperty("mode").GetString()}/{t.GetProperty("reqid").GetUInt32()}/" +
            $"{t.GetProperty("src").GetString()}/{t.GetProperty("dst").GetString()}/{(t.GetProperty("optional").GetBoolean() ? "optional" : "required")}")));

    public static StateView StateFromJson(JsonElement s)
    {
        var sel = s.GetProperty("selector");
        return new StateView(s.GetProperty("src").GetString()!, s.GetProperty("dst").GetString()!, s.GetProperty("proto").GetString()!,
            s.GetProperty("spi").GetString()!, s.GetProperty("reqid").GetUInt32(), s.GetProperty("mode").GetString()!,
            $"{sel.GetProperty("src").GetString()} {sel.GetProperty("dst").GetString()} {sel.GetProperty("proto").GetString()} " +
            $"{sel.GetProperty("sport").GetInt32()} {sel.GetProperty("dport").GetInt32()}",
            s.GetProperty("bytes").GetUInt64(), s.GetProperty("packets").GetUInt64());
    }
}
