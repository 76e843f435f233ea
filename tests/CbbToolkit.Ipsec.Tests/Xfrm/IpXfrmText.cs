using System.Globalization;
using System.Net;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Tests.Xfrm;

/// <summary>A policy or template as <c>ip -s xfrm policy</c> prints it, reduced to the fields the tests compare.</summary>
internal sealed record IpTemplateView(string Src, string Dst, string Proto, uint Spi, uint RequestId, string Mode, string Level);

internal sealed record IpPolicyView(string Src, string Dst, string? Proto, int Sport, int Dport, string Dir, string Action,
    uint Index, uint Priority, string? Mark, uint? IfId, IReadOnlyList<IpTemplateView> Templates)
{
    public bool Equals(IpPolicyView? other) =>
        other is not null && (Src, Dst, Proto, Sport, Dport, Dir, Action, Index, Priority, Mark, IfId) ==
        (other.Src, other.Dst, other.Proto, other.Sport, other.Dport, other.Dir, other.Action, other.Index, other.Priority, other.Mark, other.IfId)
        && Templates.SequenceEqual(other.Templates);

    public override int GetHashCode() => HashCode.Combine(Src, Dst, Index);

    public override string ToString() =>
        $"{Src} -> {Dst} proto {Proto} {Sport}->{Dport} {Dir} {Action} index {Index} prio {Priority} mark {Mark} if_id {IfId} [{string.Join("; ", Templates)}]";
}

/// <summary>An SA as <c>ip -s xfrm state</c> prints it, reduced to the fields the tests compare.</summary>
internal sealed record IpStateView(string Src, string Dst, string Proto, uint Spi, uint RequestId, string Mode, uint Seq, string Sel, ulong HardAddSeconds);

/// <summary>Parses iproute2's text (no JSON for xfrm in iproute2 6.1) and renders our model into the same views.</summary>
internal static class IpXfrmText
{
    public static List<IpPolicyView> ParsePolicies(string text)
    {
        var result = new List<IpPolicyView>();
        foreach (var block in Blocks(text))
        {
            var head = Words(block[0]);
            string? proto = null;
            int sport = 0, dport = 0;
            for (var i = 4; i < head.Length - 1; i++)
            {
                switch (head[i])
                {
                    case "proto": proto = head[++i]; break;
                    case "sport": sport = int.Parse(head[++i], CultureInfo.InvariantCulture); break;
                    case "dport": dport = int.Parse(head[++i], CultureInfo.InvariantCulture); break;
                }
            }

            var second = Words(block[1]);
            var dir = second[0] == "socket" ? "socket " + second[1] : second[1];
            string action = "allow", mark = null!;
            uint index = 0, priority = 0;
            uint? ifId = null;
            for (var i = 0; i < second.Length - 1; i++)
            {
                switch (second[i])
                {
                    case "action": action = second[i + 1]; break;
                    case "index": index = uint.Parse(second[i + 1], CultureInfo.InvariantCulture); break;
                    case "priority": priority = uint.Parse(second[i + 1], CultureInfo.InvariantCulture); break;
                }
            }

            var templates = new List<IpTemplateView>();
            for (var l = 2; l < block.Count; l++)
            {
                var w = Words(block[l]);
                if (w.Length == 0)
                {
                    continue;
                }

                switch (w[0])
                {
                    case "mark": mark = w[1]; break;
                    case "if_id": ifId = Convert.ToUInt32(w[1], 16); break;
                    case "tmpl":
                        var p = Words(block[l + 1]);
                        var lv = Words(block[l + 2]);
                        templates.Add(new IpTemplateView(w[2], w[4], p[1], Convert.ToUInt32(p[3][2..10], 16),
                            uint.Parse(p[5][..p[5].IndexOf('(', StringComparison.Ordinal)], CultureInfo.InvariantCulture), p[7], lv[1]));
                        l += 2;
                        break;
                }
            }

            result.Add(new IpPolicyView(head[1], head[3], proto, sport, dport, dir, action, index, priority, mark, ifId, templates));
        }

        return result;
    }

    public static List<IpStateView> ParseStates(string text)
    {
        var result = new List<IpStateView>();
        foreach (var block in Blocks(text))
        {
            var head = Words(block[0]);
            var p = Words(block[1]);
            var r = Words(block[2]);
            var sel = block.First(l => l.TrimStart().StartsWith("sel ", StringComparison.Ordinal)).Trim();
            sel = sel[..sel.LastIndexOf(" uid ", StringComparison.Ordinal)];
            var hard = block.First(l => l.Contains("expire add:", StringComparison.Ordinal));
            var hardSeconds = hard[(hard.IndexOf("hard ", StringComparison.Ordinal) + 5)..hard.LastIndexOf("(sec)", StringComparison.Ordinal)];

            // iproute2 prints seq with "0x%08u": decimal digits behind "0x".
            result.Add(new IpStateView(head[1], head[3], p[1], Convert.ToUInt32(p[3][2..10], 16),
                uint.Parse(p[5][..p[5].IndexOf('(', StringComparison.Ordinal)], CultureInfo.InvariantCulture), p[7],
                uint.Parse(r[3][2..], CultureInfo.InvariantCulture), sel, ulong.Parse(hardSeconds, CultureInfo.InvariantCulture)));
        }

        return result;
    }

    public static IpPolicyView View(XfrmPolicy p) => new(
        Cidr(p.Selector.Source, p.Selector.SourcePrefixLength), Cidr(p.Selector.Destination, p.Selector.DestinationPrefixLength),
        ProtoName((int)p.Selector.Protocol), p.Selector.SourcePort, p.Selector.DestinationPort,
        p.Direction switch
        {
            XfrmPolicyDirection.In => "in",
            XfrmPolicyDirection.Out => "out",
            XfrmPolicyDirection.Forward => "fwd",
            XfrmPolicyDirection.SocketIn => "socket in",
            XfrmPolicyDirection.SocketOut => "socket out",
            _ => "?",
        },
        p.Action == XfrmPolicyAction.Allow ? "allow" : "block", p.Index, p.Priority,
        p.Mark is { } m ? $"0x{m.Value:x}/0x{m.Mask:x}" : null, p.InterfaceId,
        [.. p.Templates.Select(t => new IpTemplateView(t.Source.ToString(), t.Destination.ToString(), Proto(t.Protocol), t.Spi, t.RequestId,
            t.Mode.ToString().ToLowerInvariant(), t.IsOptional ? "use" : "required"))]);

    public static IpStateView View(XfrmState s, string sel) => new(s.Source.ToString(), s.Destination.ToString(), Proto(s.Protocol), s.Spi,
        s.RequestId, s.Mode.ToString().ToLowerInvariant(), s.Sequence, sel, s.Lifetime.HardAddExpiresSeconds);

    /// <summary>Renders a selector the way ip prints the "sel" line (TCP/UDP ports, device by name).</summary>
    public static string SelectorLine(XfrmSelector s, string? device) =>
        $"sel src {Cidr(s.Source, s.SourcePrefixLength)} dst {Cidr(s.Destination, s.DestinationPrefixLength)}" +
        (s.Protocol == 0 ? "" : $" proto {ProtoName((int)s.Protocol)} sport {s.SourcePort} dport {s.DestinationPort}") +
        (device is null ? "" : $" dev {device}");

    public static string Proto(XfrmProtocol p) => p switch
    {
        XfrmProtocol.Esp => "esp",
        XfrmProtocol.Ah => "ah",
        XfrmProtocol.Comp => "comp",
        _ => ((int)p).ToString(CultureInfo.InvariantCulture),
    };

    private static string? ProtoName(int p) => p switch
    {
        0 => null,
        6 => "tcp",
        17 => "udp",
        _ => p.ToString(CultureInfo.InvariantCulture),
    };

    private static string Cidr(IPAddress a, byte prefix) => $"{a}/{prefix}";

    private static string[] Words(string line) => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    private static IEnumerable<List<string>> Blocks(string text)
    {
        List<string>? block = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("src ", StringComparison.Ordinal))
            {
                if (block is not null)
                {
                    yield return block;
                }

                block = [line];
            }
            else if (block is not null && line.Length > 0)
            {
                block.Add(line);
            }
        }

        if (block is not null)
        {
            yield return block;
        }
    }
}
