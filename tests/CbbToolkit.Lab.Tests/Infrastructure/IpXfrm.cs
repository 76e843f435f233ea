using System.Globalization;
using System.Text.RegularExpressions;

namespace CbbToolkit.Lab.Tests.Infrastructure;

/// <summary>Reads SA state back with iproute2's <c>ip xfrm</c>, the reference tool our own XFRM client is checked against.</summary>
internal static partial class IpXfrm
{
    /// <summary>The counters of every SA in <paramref name="ns"/>, by SPI, from <c>ip -s xfrm state</c>.</summary>
    public static IReadOnlyDictionary<uint, SaCounters> ReadCounters(string ns) =>
        ParseCounters(TwoHosts.Ip(["-n", ns, "-s", "xfrm", "state"]));

    // The dump holds keys: only SPIs and counters leave this method, never the text.
    internal static Dictionary<uint, SaCounters> ParseCounters(string dump)
    {
        var result = new Dictionary<uint, SaCounters>();
        uint? spi = null;
        var currentNext = false;
        foreach (var raw in dump.Split('\n'))
        {
            var line = raw.Trim();
            var proto = ProtoLine().Match(line);
            if (proto.Success)
            {
                spi = uint.Parse(proto.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
            else if (line == "lifetime current:")
            {
                currentNext = true;
            }
            else if (currentNext)
            {
                currentNext = false;
                var counters = CountersLine().Match(line);
                if (spi is null || !counters.Success)
                {
                    throw new FormatException("unexpected 'ip -s xfrm state' layout near 'lifetime current:'");
                }

                result[spi.Value] = new SaCounters(
                    long.Parse(counters.Groups[1].Value, CultureInfo.InvariantCulture),
                    long.Parse(counters.Groups[2].Value, CultureInfo.InvariantCulture));
            }
        }

        return result;
    }

    [GeneratedRegex(@"^proto \S+ spi 0x([0-9a-f]+)\b")]
    private static partial Regex ProtoLine();

    [GeneratedRegex(@"^(\d+)\(bytes\), (\d+)\(packets\)")]
    private static partial Regex CountersLine();
}
