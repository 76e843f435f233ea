using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace CbbToolkit.Testing.Libreswan;

/// <summary>
/// What pluto says about itself in <c>whack --status</c> (connections, established child SAs) and
/// <c>whack --trafficstatus</c>, parsed from the text libreswan 4.x prints (lines may start with a three-digit
/// "RC" code such as <c>000 </c> or <c>006 </c>, which is dropped). Lines this parser does not know are ignored.
/// </summary>
public sealed partial class WhackStatus
{
    private WhackStatus(IReadOnlyList<WhackConnection> connections, IReadOnlyList<WhackChildSa> childSas, string text)
    {
        Connections = connections;
        ChildSas = childSas;
        Text = text;
    }

    /// <summary>The connections pluto has loaded.</summary>
    public IReadOnlyList<WhackConnection> Connections { get; }

    /// <summary>The child SAs with their SPIs (the <c>#N: "conn" esp.X@peer esp.Y@self</c> lines).</summary>
    public IReadOnlyList<WhackChildSa> ChildSas { get; }

    /// <summary>The whole text, for failure messages (it holds no keys).</summary>
    public string Text { get; }

    /// <summary>The connection called <paramref name="name"/>, or null.</summary>
    public WhackConnection? Connection(string name) => Connections.FirstOrDefault(c => c.Name == name);

    /// <summary>Parses the output of <c>whack --status</c>.</summary>
    public static WhackStatus Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var connections = new Dictionary<string, WhackConnection>(StringComparer.Ordinal);
        var parents = new Dictionary<int, int>();
        var childSas = new List<WhackChildSa>();
        foreach (var line in Lines(text))
        {
            if (ChildSpis().Match(line) is { Success: true } spis)
            {
                childSas.Add(new WhackChildSa(Int(spis.Groups["serial"].Value), spis.Groups["conn"].Value, null,
                    spis.Groups["proto"].Value, Hex(spis.Groups["out"].Value), IPAddress.Parse(spis.Groups["peer"].Value),
                    Hex(spis.Groups["in"].Value), IPAddress.Parse(spis.Groups["self"].Value)));
            }
            else if (ChildParent().Match(line) is { Success: true } parent)
            {
                parents[Int(parent.Groups["serial"].Value)] = Int(parent.Groups["ike"].Value);
            }
            else if (ConnectionLine().Match(line) is { Success: true } conn)
            {
                var name = conn.Groups["conn"].Value + conn.Groups["instance"].Value;
                var current = connections.GetValueOrDefault(name) ?? new WhackConnection(name, null, null, null, null, null, null);
                var rest = conn.Groups["rest"].Value;
                if (Auth().Match(rest) is { Success: true } auth)
                {
                    current = current with { OurAuth = auth.Groups["our"].Value, TheirAuth = auth.Groups["their"].Value };
                }
                else if (Ids().Match(rest) is { Success: true } ids)
                {
                    current = current with
                    {
                        OurIdType = ids.Groups["ourtype"].Value,
                        OurId = ids.Groups["our"].Value,
                        TheirIdType = ids.Groups["theirtype"].Value,
                        TheirId = ids.Groups["their"].Value,
                    };
                }

                connections[name] = current;
            }
        }

        var withParents = childSas.Select(c => parents.TryGetValue(c.Serial, out var ike) ? c with { IkeSerial = ike } : c).ToList();
        return new WhackStatus([.. connections.Values], withParents, text);
    }

    /// <summary>Parses the output of <c>whack --trafficstatus</c>.</summary>
    public static IReadOnlyList<WhackTraffic> ParseTraffic(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. Lines(text).Select(l => Traffic().Match(l)).Where(m => m.Success).Select(m => new WhackTraffic(
            Int(m.Groups["serial"].Value), m.Groups["conn"].Value, m.Groups["type"].Value,
            long.Parse(m.Groups["in"].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups["out"].Value, CultureInfo.InvariantCulture),
            m.Groups["id"].Success ? m.Groups["id"].Value : null))];
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(l => RcCode().Replace(l.TrimEnd('\r'), string.Empty));

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    private static uint Hex(string value) => uint.Parse(value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d{3} ")]
    private static partial Regex RcCode();

    // #2: "null" esp.e38622a1@10.99.0.2 esp.1d3901c8@10.99.0.1 Traffic: ...
    [GeneratedRegex(@"^#(?<serial>\d+): ""(?<conn>[^""]+)""(?:\[\d+\])?\S* (?<proto>esp|ah)\.(?<out>[0-9a-f]+)@(?<peer>[0-9a-fA-F.:]+) (?:esp|ah)\.(?<in>[0-9a-f]+)@(?<self>[0-9a-fA-F.:]+)")]
    private static partial Regex ChildSpis();

    // #2: "null":500 STATE_V2_ESTABLISHED_CHILD_SA (...); ...; IKE SA #1; idle;
    [GeneratedRegex(@"^#(?<serial>\d+): "".*STATE_V2_ESTABLISHED_CHILD_SA.*IKE SA #(?<ike>\d+)")]
    private static partial Regex ChildParent();

    // "null":   our auth:null, ...   ("null"[1] ... for instances)
    [GeneratedRegex(@"^""(?<conn>[^""]+)""(?<instance>\[\d+\])?:\s+(?<rest>.*)$")]
    private static partial Regex ConnectionLine();

    [GeneratedRegex(@"^our auth:(?<our>[^,]+), their auth:(?<their>[^,;]+)")]
    private static partial Regex Auth();

    [GeneratedRegex(@"^our idtype: (?<ourtype>[^;]+); our id=(?<our>[^;]*); their idtype: (?<theirtype>[^;]+); their id=(?<their>.*)$")]
    private static partial Regex Ids();

    // #2: "null", type=ESP, add_time=0, inBytes=0, outBytes=0, maxBytes=2^63B, id='ID_NULL'
    [GeneratedRegex(@"^#(?<serial>\d+): ""(?<conn>[^""]+)""[^,]*, type=(?<type>\w+), .*inBytes=(?<in>\d+), outBytes=(?<out>\d+)(?:.*id='(?<id>[^']*)')?")]
    private static partial Regex Traffic();
}
