using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace CbbToolkit.Lab.Tests.Infrastructure;

/// <summary>
/// Manually keyed ESP with iproute2's <c>ip xfrm</c>: what the tests set up and read back until our own XFRM client lands
/// (then SAs and policies come from it and <c>ip</c> stays as the cross-check).
/// </summary>
internal static partial class IpXfrm
{
    /// <summary>
    /// Installs transport-mode AES-GCM (rfc4106, 128-bit ICV) SAs for A to B and B to A in both namespaces, and with
    /// <paramref name="policies"/> the policies that require them for TCP between A and B, both directions.
    /// </summary>
    public static EspSaPair AddTransportEsp(TwoHosts hosts, AddressFamily family, uint reqid, bool policies)
    {
        var spis = RandomNumberGenerator.GetBytes(8);
        var pair = new EspSaPair(
            0x1000 + (BinaryPrimitives.ReadUInt32BigEndian(spis) & 0xFFFFFF),
            0x1000 + (BinaryPrimitives.ReadUInt32BigEndian(spis.AsSpan(4)) & 0xFFFFFF),
            reqid);
        // 16 key bytes + 4 salt bytes per direction; on stdin, never on a command line or in a failure message.
        var keyAToB = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        var keyBToA = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        var (a, b) = (hosts.A.Address(family), hosts.B.Address(family));
        var sas =
            $"xfrm state add src {a} dst {b} proto esp spi 0x{pair.SpiAToB:x8} reqid {reqid} mode transport aead rfc4106(gcm(aes)) 0x{keyAToB} 128\n" +
            $"xfrm state add src {b} dst {a} proto esp spi 0x{pair.SpiBToA:x8} reqid {reqid} mode transport aead rfc4106(gcm(aes)) 0x{keyBToA} 128\n";
        TwoHosts.Batch(hosts.A, sas + (policies ? PolicyCommands(a, b, reqid) : ""));
        TwoHosts.Batch(hosts.B, sas + (policies ? PolicyCommands(b, a, reqid) : ""));
        return pair;
    }

    private static string PolicyCommands(IPAddress local, IPAddress remote, uint reqid)
    {
        var tmpl = $"proto esp reqid {reqid} mode transport";
        return $"xfrm policy add src {local} dst {remote} proto tcp dir out tmpl src {local} dst {remote} {tmpl}\n" +
               $"xfrm policy add src {remote} dst {local} proto tcp dir in tmpl src {remote} dst {local} {tmpl}\n";
    }

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
