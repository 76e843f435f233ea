using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Tests.Resolution;

/// <summary>Builds SA and policy sets in memory, shaped like what the kernel dumps.</summary>
internal static class XfrmSets
{
    private static int _index = 0x1000;

    public static IPAddress Ip(string address) => IPAddress.Parse(address);

    public static IpsecFlow Flow(string local, int localPort, string remote, int remotePort, ProtocolType protocol = ProtocolType.Tcp) =>
        new(new IPEndPoint(Ip(local), localPort), new IPEndPoint(Ip(remote), remotePort), protocol);

    public static XfrmTemplate Esp(uint reqid = 1, XfrmMode mode = XfrmMode.Transport, string? source = null, string? destination = null,
        bool optional = false, bool ipv6 = false) => new()
        {
            Protocol = XfrmProtocol.Esp,
            Mode = mode,
            RequestId = reqid,
            IsOptional = optional,
            Source = source is null ? (ipv6 ? IPAddress.IPv6Any : IPAddress.Any) : Ip(source),
            Destination = destination is null ? (ipv6 ? IPAddress.IPv6Any : IPAddress.Any) : Ip(destination),
        };

    /// <summary>A policy; prefixes default to full host prefixes, ports to any.</summary>
    public static XfrmPolicy Policy(XfrmPolicyDirection direction, string source, string destination, params XfrmTemplate[] templates) =>
        Policy(direction, source, -1, destination, -1, templates);

    public static XfrmPolicy Policy(XfrmPolicyDirection direction, string source, int sourcePrefix, string destination, int destinationPrefix,
        params XfrmTemplate[] templates)
    {
        var s = Ip(source);
        var full = s.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        return new XfrmPolicy
        {
            Selector = XfrmSelector.Any(s.AddressFamily) with
            {
                Source = s,
                SourcePrefixLength = (byte)(sourcePrefix < 0 ? full : sourcePrefix),
                Destination = Ip(destination),
                DestinationPrefixLength = (byte)(destinationPrefix < 0 ? full : destinationPrefix),
            },
            Direction = direction,
            Priority = 1000,
            Index = NextIndex(direction),
            Templates = templates,
        };
    }

    /// <summary>Out and in transport policies between two hosts, ESP with one reqid.</summary>
    public static XfrmPolicy[] TransportPolicies(string local, string remote, uint reqid = 1) =>
    [
        Policy(XfrmPolicyDirection.Out, local, remote, Esp(reqid, ipv6: Ip(local).AddressFamily == AddressFamily.InterNetworkV6)),
        Policy(XfrmPolicyDirection.In, remote, local, Esp(reqid, ipv6: Ip(local).AddressFamily == AddressFamily.InterNetworkV6)),
    ];

    public static XfrmState Sa(string source, string destination, uint spi, uint reqid = 1, XfrmMode mode = XfrmMode.Transport,
        ulong addTime = 1_700_000_000, string aead = "rfc4106(gcm(aes))", XfrmSelector? selector = null) => new()
        {
            Source = Ip(source),
            Destination = Ip(destination),
            Spi = spi,
            Protocol = XfrmProtocol.Esp,
            Mode = mode,
            RequestId = reqid,
            Selector = selector ?? XfrmSelector.Any(Ip(source).AddressFamily),
            Aead = new XfrmAeadAlgorithm(aead, new XfrmKey(new byte[20]), 128),
            Current = new XfrmLifetimeCurrent(0, 0, addTime, 0),
        };

    public static XfrmStateCache Cache(IEnumerable<XfrmState> states, IEnumerable<XfrmPolicy> policies) => XfrmStateCache.FromDump(states, policies);

    public static IpsecChannelResolution Resolve(IEnumerable<XfrmState> states, IEnumerable<XfrmPolicy> policies, IpsecFlow flow,
        IpsecSocketPolicies? socketPolicies = null) =>
        new IpsecChannelResolver(Cache(states, policies)).ResolveKernel(flow, socketPolicies);

    /// <summary>Kernel-like index: a sequence number shifted left 3, ORed with the direction.</summary>
    public static uint NextIndex(XfrmPolicyDirection direction) => (uint)(Interlocked.Add(ref _index, 8) | (int)direction);
}
