using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Cli.Output;

/// <summary>How cbb names kernel values in its output: the words <c>ip xfrm</c> uses, lower case.</summary>
internal static class XfrmNames
{
    /// <summary>"in", "out", "fwd", "socket-in", "socket-out".</summary>
    public static string Direction(XfrmPolicyDirection direction) => direction switch
    {
        XfrmPolicyDirection.In => "in",
        XfrmPolicyDirection.Out => "out",
        XfrmPolicyDirection.Forward => "fwd",
        XfrmPolicyDirection.SocketIn => "socket-in",
        XfrmPolicyDirection.SocketOut => "socket-out",
        _ => Number((int)direction),
    };

    /// <summary>"esp", "ah", "comp" (and the number for anything else).</summary>
    public static string Protocol(XfrmProtocol protocol) => protocol switch
    {
        XfrmProtocol.Esp => "esp",
        XfrmProtocol.Ah => "ah",
        XfrmProtocol.Comp => "comp",
        _ => Number((int)protocol),
    };

    /// <summary>"transport", "tunnel", "beet", ...</summary>
    public static string Mode(XfrmMode mode) => mode switch
    {
        XfrmMode.Transport => "transport",
        XfrmMode.Tunnel => "tunnel",
        XfrmMode.RouteOptimization => "ro",
        XfrmMode.InTrigger => "in_trigger",
        XfrmMode.Beet => "beet",
        XfrmMode.IpTfs => "iptfs",
        _ => Number((int)mode),
    };

    /// <summary>"allow" or "block".</summary>
    public static string Action(XfrmPolicyAction action) => action == XfrmPolicyAction.Block ? "block" : "allow";

    /// <summary>The upper-layer protocol as /etc/protocols names it (as <c>ip</c> prints it), null for any.</summary>
    public static string? UpperProtocol(ProtocolType protocol) => (int)protocol switch
    {
        0 => null,
        1 => "icmp",
        2 => "igmp",
        4 => "ipencap",
        6 => "tcp",
        17 => "udp",
        33 => "dccp",
        41 => "ipv6",
        47 => "gre",
        50 => "esp",
        51 => "ah",
        58 => "ipv6-icmp",
        103 => "pim",
        108 => "ipcomp",
        132 => "sctp",
        136 => "udplite",
        var n => Number(n),
    };

    /// <summary>An SPI as "0x%08x".</summary>
    public static string Spi(uint spi) => "0x" + spi.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>The selector's source as CIDR, e.g. "10.0.0.0/24" or "::/0".</summary>
    public static string SourceCidr(XfrmSelector selector, AddressFamily fallback) =>
        Cidr(selector.Source, selector.SourcePrefixLength, selector.Family, fallback);

    /// <summary>The selector's destination as CIDR.</summary>
    public static string DestinationCidr(XfrmSelector selector, AddressFamily fallback) =>
        Cidr(selector.Destination, selector.DestinationPrefixLength, selector.Family, fallback);

    /// <summary>The selector's source port, 0 when any (mask 0).</summary>
    public static int SourcePort(XfrmSelector selector) => selector.SourcePortMask == 0 ? 0 : selector.SourcePort;

    /// <summary>The selector's destination port, 0 when any.</summary>
    public static int DestinationPort(XfrmSelector selector) => selector.DestinationPortMask == 0 ? 0 : selector.DestinationPort;

    /// <summary>The algorithm names of an SA (AEAD, cipher, integrity, compression): names only, never keys.</summary>
    public static IReadOnlyList<string> Algorithms(XfrmState state)
    {
        var names = new List<string>(3);
        if (state.Aead is { } aead)
        {
            names.Add(aead.Name);
        }

        if (state.Encryption is { } encryption)
        {
            names.Add(encryption.Name);
        }

        if (state.Authentication is { } authentication)
        {
            names.Add(authentication.Name);
        }

        if (state.Compression is { } compression)
        {
            names.Add(compression.Name);
        }

        return names;
    }

    /// <summary>The JSON names of <see cref="IpsecAuthenticationMethod"/> (the channel attribute table's, docs/api.md).</summary>
    public static string AuthMethod(IpsecAuthenticationMethod method) => method switch
    {
        IpsecAuthenticationMethod.None => "none",
        IpsecAuthenticationMethod.Btns => "btns",
        IpsecAuthenticationMethod.LeapOfFaith => "leap-of-faith",
        IpsecAuthenticationMethod.PresharedKey => "preshared-key",
        IpsecAuthenticationMethod.GroupKey => "group-key",
        IpsecAuthenticationMethod.Xauth => "xauth",
        IpsecAuthenticationMethod.Eap => "eap",
        IpsecAuthenticationMethod.PkixTrusted => "pkix-trusted",
        IpsecAuthenticationMethod.PkixInline => "pkix-inline",
        IpsecAuthenticationMethod.PkixOffline => "pkix-offline",
        IpsecAuthenticationMethod.Null => "null",
        IpsecAuthenticationMethod.RawPublicKey => "raw-public-key",
        _ => Number((int)method),
    };

    /// <summary>An enum member in kebab case: PolicyWithoutSa -> "policy-without-sa".</summary>
    public static string Kebab<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        var result = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                result.Append('-');
            }

            result.Append(char.ToLowerInvariant(name[i]));
        }

        return result.ToString();
    }

    private static string Cidr(IPAddress address, byte prefix, AddressFamily family, AddressFamily fallback)
    {
        // A selector the kernel left unspecified prints as "any" of the SA's family, as ip does.
        if (family == AddressFamily.Unspecified)
        {
            address = fallback == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        }

        return $"{address}/{prefix.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
