using System.Globalization;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Cli.Output;

/// <summary>The text form of <c>cbb xfrm</c>: aligned tables of policies and SAs, one line per monitor event.</summary>
internal static class XfrmText
{
    /// <summary>A table of policies, or a line saying there are none.</summary>
    public static IReadOnlyList<string> Policies(IReadOnlyCollection<XfrmPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        if (policies.Count == 0)
        {
            return ["(no policies)"];
        }

        var table = new TextTable("DIR", "SRC", "DST", "PROTO", "SPORT", "DPORT", "PRIORITY", "INDEX", "ACTION", "TEMPLATES");
        foreach (var p in policies)
        {
            var s = p.Selector;
            table.Add(XfrmNames.Direction(p.Direction), XfrmNames.SourceCidr(s, AddressFamily.InterNetwork),
                XfrmNames.DestinationCidr(s, AddressFamily.InterNetwork), XfrmNames.UpperProtocol(s.Protocol) ?? "any",
                Port(XfrmNames.SourcePort(s)), Port(XfrmNames.DestinationPort(s)), Number(p.Priority), Number(p.Index),
                XfrmNames.Action(p.Action), Templates(p));
        }

        return table.Lines();
    }

    /// <summary>A table of SAs (algorithm names, never keys), or a line saying there are none.</summary>
    public static IReadOnlyList<string> States(IReadOnlyCollection<XfrmState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Count == 0)
        {
            return ["(no SAs)"];
        }

        var table = new TextTable("SRC", "DST", "PROTO", "SPI", "REQID", "MODE", "SELECTOR", "BYTES", "PACKETS", "ALGORITHMS");
        foreach (var s in states)
        {
            table.Add(s.Source.ToString(), s.Destination.ToString(), XfrmNames.Protocol(s.Protocol), XfrmNames.Spi(s.Spi),
                Number(s.RequestId), XfrmNames.Mode(s.Mode), Selector(s.Selector, s.Family), Number(s.Current.Bytes),
                Number(s.Current.Packets), Algorithms(s));
        }

        return table.Lines();
    }

    /// <summary>One line for a monitor event.</summary>
    public static string Event(XfrmEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var type = XfrmEventNames.Type(e);
        return e switch
        {
            XfrmPolicyEvent p => $"{type} {Policy(p.Policy)}",
            XfrmStateEvent s => $"{type} {State(s.State)}",
            XfrmExpireEvent x => $"{type} {(x.IsHard ? "hard" : "soft")} {State(x.State)}",
            XfrmPolicyExpireEvent x => $"{type} {(x.IsHard ? "hard" : "soft")} {Policy(x.Policy)}",
            XfrmAcquireEvent a => $"{type} {XfrmNames.Protocol(a.Protocol)} {a.Source} -> {a.Destination} seq {Number(a.Sequence)} " +
                                  $"for {Selector(a.Selector, a.Destination.AddressFamily)} policy {Policy(a.Policy)}",
            XfrmFlushEvent { IsPolicyFlush: false, Protocol: { } proto and not 0 } => $"{type} proto {XfrmNames.Protocol(proto)}",
            XfrmOtherEvent o => $"{type} message type {Number(o.MessageType)}",
            _ => type,
        };
    }

    private static string Policy(XfrmPolicy p) =>
        $"{XfrmNames.Direction(p.Direction)} {Selector(p.Selector, AddressFamily.InterNetwork)} priority {Number(p.Priority)} " +
        $"index {Number(p.Index)} {XfrmNames.Action(p.Action)} [{Templates(p)}]";

    private static string State(XfrmState s) =>
        $"{XfrmNames.Protocol(s.Protocol)} spi {XfrmNames.Spi(s.Spi)} {s.Source} -> {s.Destination} reqid {Number(s.RequestId)} " +
        $"{XfrmNames.Mode(s.Mode)} sel {Selector(s.Selector, s.Family)} alg {Algorithms(s)}";

    private static string Selector(XfrmSelector s, AddressFamily family)
    {
        var text = $"{XfrmNames.SourceCidr(s, family)} -> {XfrmNames.DestinationCidr(s, family)}";
        if (XfrmNames.UpperProtocol(s.Protocol) is { } proto)
        {
            text += $" {proto} {Port(XfrmNames.SourcePort(s))}->{Port(XfrmNames.DestinationPort(s))}";
        }

        return text;
    }

    private static string Templates(XfrmPolicy p) => p.Templates.Count == 0
        ? (p.Action == XfrmPolicyAction.Block ? "-" : "(none: clear text)")
        : string.Join(", ", p.Templates.Select(t =>
            $"{XfrmNames.Protocol(t.Protocol)}/{XfrmNames.Mode(t.Mode)} reqid {Number(t.RequestId)} {(t.IsOptional ? "use" : "required")}" +
            (t.Mode == XfrmMode.Tunnel ? $" {t.Source}->{t.Destination}" : "")));

    private static string Algorithms(XfrmState s) =>
        XfrmNames.Algorithms(s) is { Count: > 0 } names ? string.Join(",", names) : "-";

    private static string Port(int port) => port == 0 ? "any" : Number(port);

    private static string Number<T>(T value)
        where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}
