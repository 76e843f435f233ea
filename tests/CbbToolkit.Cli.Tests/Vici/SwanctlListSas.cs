using System.Globalization;
using System.Text.RegularExpressions;

namespace CbbToolkit.Cli.Tests.Vici;

/// <summary>An IKE SA as <c>swanctl --list-sas</c> prints it (strongSwan 5.9 text form), reduced to what cbb prints.</summary>
internal sealed record SwanctlIkeSa(string Name, uint UniqueId, string State, int Version, string InitiatorSpi, string ResponderSpi,
    bool IsInitiator, string LocalId, string LocalHost, int LocalPort, string RemoteId, string RemoteHost, int RemotePort, string Proposal,
    List<SwanctlChildSa> Children)
{
    private static readonly List<SwanctlChildSa> None = [];

    /// <summary>The IKE SA's own fields (records compare lists by reference, so children are compared on their own).</summary>
    public SwanctlIkeSa Head() => this with { Children = None };
}

/// <summary>A child SA as <c>swanctl --list-sas</c> prints it.</summary>
internal sealed record SwanctlChildSa(string Name, uint UniqueId, uint RequestId, string State, string Mode, string Proposal,
    string InboundSpi, ulong InboundBytes, ulong InboundPackets, string OutboundSpi, ulong OutboundBytes, ulong OutboundPackets, string LocalTrafficSelectors, string RemoteTrafficSelectors)
{
    public override string ToString() =>
        $"{Name} #{UniqueId} reqid {RequestId} {State} {Mode} {Proposal} in {InboundSpi} {InboundBytes}/{InboundPackets} out {OutboundSpi} {OutboundBytes}/{OutboundPackets} {LocalTrafficSelectors} -> {RemoteTrafficSelectors}";
}

/// <summary>Parses the text of <c>swanctl --list-sas</c>.</summary>
internal static partial class SwanctlListSas
{
    public static List<SwanctlIkeSa> Parse(string text)
    {
        var result = new List<SwanctlIkeSa>();
        SwanctlIkeSa? ike = null;
        string? child = null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            Match m;
            if ((m = IkeLine().Match(line)).Success)
            {
                ike = new SwanctlIkeSa(m.Groups[1].Value, UInt(m.Groups[2]), m.Groups[3].Value, int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture),
                    "0x" + m.Groups[5].Value, "0x" + m.Groups[7].Value, m.Groups[6].Value == "*", "", "", 0, "", "", 0, "", []);
                result.Add(ike);
                child = null;
            }
            else if (ike is null)
            {
                continue;
            }
            else if ((m = EndLine().Match(line)).Success)
            {
                var (id, host, port) = (m.Groups[2].Value, m.Groups[3].Value, int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture));
                ike = m.Groups[1].Value == "local"
                    ? Replace(result, ike, ike with { LocalId = id, LocalHost = host, LocalPort = port })
                    : Replace(result, ike, ike with { RemoteId = id, RemoteHost = host, RemotePort = port });
            }
            else if ((m = ProposalLine().Match(line)).Success)
            {
                ike = Replace(result, ike, ike with { Proposal = m.Groups[1].Value });
            }
            else if ((m = ChildLine().Match(line)).Success)
            {
                child = line;
                fields.Clear();
                fields["name"] = m.Groups[1].Value;
                fields["id"] = m.Groups[2].Value;
                fields["reqid"] = m.Groups[3].Value;
                fields["state"] = m.Groups[4].Value;
                fields["mode"] = m.Groups[5].Value;
                fields["proposal"] = m.Groups[6].Value;
            }
            else if (child is not null && (m = TrafficLine().Match(line)).Success)
            {
                fields[m.Groups[1].Value] = $"{m.Groups[2].Value} {m.Groups[3].Value} {m.Groups[4].Value}";
            }
            else if (child is not null && (m = SelectorLine().Match(line)).Success)
            {
                fields["ts-" + m.Groups[1].Value] = m.Groups[2].Value.Trim();
                if (m.Groups[1].Value == "remote")
                {
                    var i = fields["in"].Split(' ');
                    var o = fields["out"].Split(' ');
                    ike.Children.Add(new SwanctlChildSa(fields["name"], uint.Parse(fields["id"], CultureInfo.InvariantCulture),
                        uint.Parse(fields["reqid"], CultureInfo.InvariantCulture), fields["state"], fields["mode"], fields["proposal"],
                        "0x" + i[0], ulong.Parse(i[1], CultureInfo.InvariantCulture), ulong.Parse(i[2], CultureInfo.InvariantCulture),
                        "0x" + o[0], ulong.Parse(o[1], CultureInfo.InvariantCulture), ulong.Parse(o[2], CultureInfo.InvariantCulture),
                        fields["ts-local"], fields["ts-remote"]));
                    child = null;
                }
            }
        }

        return result;
    }

    private static SwanctlIkeSa Replace(List<SwanctlIkeSa> list, SwanctlIkeSa old, SwanctlIkeSa updated)
    {
        list[list.IndexOf(old)] = updated;
        return updated;
    }

    private static uint UInt(Group g) => uint.Parse(g.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\S+): #(\d+), (\w+), IKEv(\d), ([0-9a-f]{16})_i(\*?) ([0-9a-f]{16})_r\*?$")]
    private static partial Regex IkeLine();

    [GeneratedRegex(@"^  (local|remote) +'(.*)' @ (\S+)\[(\d+)\]")]
    private static partial Regex EndLine();

    [GeneratedRegex(@"^  ([A-Z0-9_-]+(/[A-Z0-9_-]+)+)$")]
    private static partial Regex ProposalLine();

    [GeneratedRegex(@"^  (\S+): #(\d+), reqid (\d+), (\w+), (\S+), (\S+)$")]
    private static partial Regex ChildLine();

    [GeneratedRegex(@"^    (in|out) +([0-9a-f]{8})\S*, +(\d+) bytes, +(\d+) packets")]
    private static partial Regex TrafficLine();

    [GeneratedRegex(@"^    (local|remote) +(.*)$")]
    private static partial Regex SelectorLine();
}
