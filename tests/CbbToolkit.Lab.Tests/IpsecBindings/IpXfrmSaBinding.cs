using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CbbToolkit.Lab.Tests.Infrastructure;

namespace CbbToolkit.Lab.Tests.IpsecBindings;

/// <summary>
/// The reference ipsec-sa-binding v1: the SAs as iproute2 prints them (<c>ip -s xfrm state</c>: addresses, SPI, mode,
/// algorithm names, keys and their lengths parsed from its text), hashed by the layout of docs/channel-bindings.md,
/// encoded here from the page with none of the library's code. The dump holds keys: only the hash leaves this class,
/// and no failure message quotes the text.
/// </summary>
internal static partial class IpXfrmSaBinding
{
    /// <summary>The v1 value of the SA pair (<paramref name="spiX"/>, <paramref name="spiY"/>) as <c>ip</c> shows it in <paramref name="ns"/>.</summary>
    /// <param name="withAddresses">Hash encapsulated SAs as if they were not (addresses in, order by source): the rule for plain ESP.</param>
    public static byte[] Compute(string ns, uint spiX, uint spiY, bool withAddresses = false)
    {
        var sas = Parse(TwoHosts.Ip(["-n", ns, "-s", "xfrm", "state"]));
        var x = sas.SingleOrDefault(s => s.Spi == spiX) ?? throw new InvalidOperationException($"ip shows no SA 0x{spiX:x8} in {ns}");
        var y = sas.SingleOrDefault(s => s.Spi == spiY) ?? throw new InvalidOperationException($"ip shows no SA 0x{spiY:x8} in {ns}");
        if (withAddresses)
        {
            x.Encapsulated = y.Encapsulated = false;
        }

        return Hash(x, y);
    }

    /// <summary>
    /// SHA-256 over label, version and the two SAs in canonical order (source address octets, then SPI; by SPI alone when
    /// an SA is NAT-traversal encapsulated, whose addresses are then left out).
    /// </summary>
    public static byte[] Hash(IpSa x, IpSa y)
    {
        var nat = x.Encapsulated || y.Encapsulated;
        var ordered = new[] { x, y }.OrderBy(s => nat ? string.Empty : Convert.ToHexString(s.Source.GetAddressBytes()), StringComparer.Ordinal).ThenBy(s => s.Spi);
        var t = new List<byte>();
        t.AddRange(Encoding.ASCII.GetBytes("CbbToolkit ipsec-sa-binding"));
        t.Add(0);
        t.Add(1);
        foreach (var sa in ordered)
        {
            var src = sa.Encapsulated ? [] : sa.Source.GetAddressBytes();
            t.Add(sa.Protocol);
            t.Add(sa.Mode);
            t.Add((byte)src.Length);
            t.AddRange(src);
            t.AddRange(sa.Encapsulated ? [] : sa.Destination.GetAddressBytes());
            t.AddRange(U32(sa.Spi));
            var algorithms = sa.Algorithms.OrderBy(a => a.Kind).ToList();
            t.Add((byte)algorithms.Count);
            foreach (var a in algorithms)
            {
                t.Add(a.Kind);
                t.Add((byte)a.Name.Length);
                t.AddRange(Encoding.ASCII.GetBytes(a.Name));
                t.AddRange(U32(a.KeyBits));
                t.AddRange(U32(a.ExtraBits));
                t.Add((byte)(a.Key.Length >> 8));
                t.Add((byte)a.Key.Length);
                t.AddRange(a.Key);
            }
        }

        return SHA256.HashData(t.ToArray());
    }

    /// <summary>The SAs of an <c>ip [-s] xfrm state</c> listing.</summary>
    public static List<IpSa> Parse(string dump)
    {
        var sas = new List<IpSa>();
        IpSa? sa = null;
        foreach (var raw in dump.Split('\n'))
        {
            var line = raw.Trim();
            if (Head().Match(line) is { Success: true } head)
            {
                sa = new IpSa { Source = IPAddress.Parse(head.Groups[1].Value), Destination = IPAddress.Parse(head.Groups[2].Value) };
                sas.Add(sa);
            }
            else if (sa is null)
            {
                continue;
            }
            else if (Proto().Match(line) is { Success: true } proto)
            {
                sa.Protocol = proto.Groups[1].Value switch { "esp" => 50, "ah" => 51, var p => throw new FormatException("unexpected proto " + p) };
                sa.Spi = uint.Parse(proto.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                sa.Mode = proto.Groups[3].Value switch { "transport" => 0, "tunnel" => 1, "beet" => 4, var m => throw new FormatException("unexpected mode " + m) };
            }
            else if (Algorithm().Match(line) is { Success: true } alg)
            {
                var key = Convert.FromHexString(alg.Groups[3].Value);
                var bits = alg.Groups[4].Success ? uint.Parse(alg.Groups[4].Value, CultureInfo.InvariantCulture) : (uint)key.Length * 8;
                var extra = alg.Groups[5].Success ? uint.Parse(alg.Groups[5].Value, CultureInfo.InvariantCulture) : 0u;
                var kind = alg.Groups[1].Value switch { "aead" => (byte)1, "enc" => (byte)2, _ => (byte)3 };
                sa.Algorithms.Add(new IpAlgorithm(kind, alg.Groups[2].Value, bits, extra, key));
            }
            else if (line.StartsWith("encap ", StringComparison.Ordinal))
            {
                sa.Encapsulated = true;
            }
        }

        return sas;
    }

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    [GeneratedRegex(@"^src (\S+) dst (\S+)$")]
    private static partial Regex Head();

    [GeneratedRegex(@"^proto (\S+) spi 0x([0-9a-f]+)\S* .*\bmode (\S+)")]
    private static partial Regex Proto();

    // "aead rfc4106(gcm(aes)) 0x... (160 bits) 128", "enc cbc(aes) 0x... (128 bits)", "auth-trunc hmac(sha256) 0x... (256 bits) 128"
    [GeneratedRegex(@"^(aead|enc|auth|auth-trunc) (\S+) 0x([0-9a-f]*)(?: \((\d+) bits\))?(?: (\d+))?$")]
    private static partial Regex Algorithm();

    /// <summary>One SA as ip prints it.</summary>
    internal sealed class IpSa
    {
        public required IPAddress Source { get; init; }

        public required IPAddress Destination { get; init; }

        public byte Protocol { get; set; }

        public byte Mode { get; set; }

        public uint Spi { get; set; }

        public bool Encapsulated { get; set; }

        public List<IpAlgorithm> Algorithms { get; } = [];
    }

    /// <summary>One algorithm line: kind 1 aead, 2 enc, 3 auth/auth-trunc.</summary>
    internal sealed record IpAlgorithm(byte Kind, string Name, uint KeyBits, uint ExtraBits, byte[] Key);
}
