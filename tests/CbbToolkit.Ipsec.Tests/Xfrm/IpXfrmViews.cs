using System.Globalization;
using System.Net;
using CbbToolkit.Ipsec.Xfrm;
using CbbToolkit.Testing.Iproute2;

namespace CbbToolkit.Ipsec.Tests.Xfrm;

/// <summary>
/// Our XFRM model rendered the way <c>ip -s xfrm</c> prints the same kernel object, so a test compares what our client
/// decoded with what iproute2 shows (parsed by the shared <see cref="IpXfrmParser"/>).
/// </summary>
internal static class IpXfrmViews
{
    public static IpXfrmPolicy View(XfrmPolicy p) => new(
        Selector(p.Selector),
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
        [.. p.Templates.Select(t => new IpXfrmTemplate(t.Source.ToString(), t.Destination.ToString(), Proto(t.Protocol), t.Spi, t.RequestId,
            t.Mode.ToString().ToLowerInvariant(), t.IsOptional ? "use" : "required"))]);

    /// <summary>An SA as ip prints it, keys left out as the parser leaves them out (algorithms in ip's order).</summary>
    public static IpXfrmState View(XfrmState s) => new(s.Source.ToString(), s.Destination.ToString(), Proto(s.Protocol), s.Spi,
        s.RequestId, s.Mode.ToString().ToLowerInvariant(), s.ReplayWindow, s.Sequence,
        s.Mark is { } m ? $"0x{m.Value:x}/0x{m.Mask:x}" : null, s.InterfaceId,
        [.. new string?[] { s.Authentication?.Name, s.Aead?.Name, s.Encryption?.Name, s.Compression?.Name }.OfType<string>()],
        s.Encapsulation is { } e ? $"{e.Type.ToString().ToLowerInvariant()} sport {e.SourcePort} dport {e.DestinationPort} addr {e.OriginalAddress}" : null,
        Selector(s.Selector), s.Lifetime.HardAddExpiresSeconds, new IpXfrmCounters((long)s.Current.Bytes, (long)s.Current.Packets));

    /// <summary>A selector as ip prints it: ports (ICMP type and code) where their mask is set, the device by name (lo is 1 in every namespace).</summary>
    public static IpXfrmSelector Selector(XfrmSelector s) => new(
        Cidr(s.Source, s.SourcePrefixLength), Cidr(s.Destination, s.DestinationPrefixLength), ProtoName((int)s.Protocol),
        s.SourcePortMask == 0 ? null : s.SourcePort, s.DestinationPortMask == 0 ? null : s.DestinationPort,
        s.InterfaceIndex switch
        {
            0 => null,
            1 => "lo",
            var index => index.ToString(CultureInfo.InvariantCulture), // differs from ip's name: a test that needs it says so
        });

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
        1 => "icmp",
        6 => "tcp",
        17 => "udp",
        58 => "ipv6-icmp",
        _ => p.ToString(CultureInfo.InvariantCulture),
    };

    private static string Cidr(IPAddress a, byte prefix) => $"{a}/{prefix}";
}
