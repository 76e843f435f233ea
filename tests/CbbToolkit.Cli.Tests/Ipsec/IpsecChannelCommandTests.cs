using CbbToolkit.Cli.Tests.Infrastructure;
using CbbToolkit.Cli.Tests.Xfrm;
using Xunit;
using CbbToolkit.Testing.Namespaces;
using CbbToolkit.Testing.Iproute2;

namespace CbbToolkit.Cli.Tests.Ipsec;

/// <summary>
/// <c>cbb ipsec channel</c> on the host kernel, in a namespace per test with policies set by <c>ip xfrm</c>. The host
/// kernel holds no SA, so every answer here is "not protected" with its reason; the protected path (SA pair, peer from
/// VICI) needs a kernel with ESP (User-Mode Linux, tests/CbbToolkit.Lab.Tests). The flows use documentation addresses,
/// not loopback: lo has disable_xfrm, so the kernel would not apply SPD policies to a 127.0.0.0/8 flow at all.
/// </summary>
public sealed class IpsecChannelCommandTests
{
    private const int TestTimeout = 120_000;
    private const string LocalAddress = "192.0.2.1";
    private const string RemoteAddress = "192.0.2.2";
    private const string Local = LocalAddress + ":40000";
    private const string Remote = RemoteAddress + ":443";

    [Fact(Timeout = TestTimeout)]
    public async Task UncoveredFlow_NotProtected_NoPolicy_Exit0()
    {
        using var ns = ScratchNamespace.Create();
        ns.Ip("xfrm", "policy", "add", "src", "10.0.0.0/8", "dst", "10.0.0.0/8", "dir", "out", "tmpl", "proto", "esp");

        var json = await ChannelAsync(ns, "--json");

        Assert.False(json.GetProperty("protected").GetBoolean());
        Assert.Equal("no-policy", json.Text("reason"));
        Assert.Equal((Local, Remote, "tcp"), (json.Text("local"), json.Text("remote"), json.Text("proto")));
        Assert.Null(json.Text("outbound"));
        Assert.Null(json.Text("inbound"));
        Assert.Null(json.Text("peer"));
        Assert.NotNull(json.Text("peerReason"));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task CoveredFlowWithoutSa_NotProtected_PolicyWithoutSa()
    {
        using var ns = ScratchNamespace.Create();
        AddPolicyPair(ns, "required");

        var json = await ChannelAsync(ns, "--json");

        Assert.False(json.GetProperty("protected").GetBoolean());
        Assert.Equal("policy-without-sa", json.Text("reason"));
        Assert.Contains("reqid 3", json.Text("message"), StringComparison.Ordinal);
    }

    [Theory(Timeout = TestTimeout)]
    [InlineData("use", "clear-text-allowed")]
    [InlineData("block", "blocked")]
    public async Task OptionalOrBlockingPolicy_ReasonSaysSo(string kind, string reason)
    {
        using var ns = ScratchNamespace.Create();
        if (kind == "block")
        {
            ns.Ip("xfrm", "policy", "add", "src", "192.0.2.1/32", "dst", "192.0.2.2/32", "dir", "out", "action", "block");
        }
        else
        {
            AddPolicyPair(ns, kind);
        }

        Assert.Equal(reason, (await ChannelAsync(ns, "--json")).Text("reason"));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task UdpAndIpv6_FlowMatchesOnlyItsOwnProtocolAndFamily()
    {
        using var ns = ScratchNamespace.Create();
        ns.Ip("xfrm", "policy", "add", "src", "2001:db8::1", "dst", "2001:db8::2", "proto", "udp", "dport", "53", "dir", "out",
            "tmpl", "proto", "esp", "reqid", "4");
        ns.Ip("xfrm", "policy", "add", "src", "2001:db8::2", "dst", "2001:db8::1", "proto", "udp", "sport", "53", "dir", "in",
            "tmpl", "proto", "esp", "reqid", "4");

        var (udpCode, udp) = await CbbProcess.RunAsync("ipsec", "channel", "--netns", ns.Name, "--local", "[2001:db8::1]:5353",
            "--remote", "[2001:db8::2]:53", "--proto", "udp", "--json");
        using var udpProcess = udp;
        var (tcpCode, tcp) = await CbbProcess.RunAsync("ipsec", "channel", "--netns", ns.Name, "--local", "[2001:db8::1]:5353",
            "--remote", "[2001:db8::2]:53", "--json");
        using var tcpProcess = tcp;

        Assert.True(udpCode == 0 && tcpCode == 0, udp.Output() + tcp.Output());
        Assert.Equal("policy-without-sa", ChannelJson.Single(udp.Stdout).Text("reason"));
        Assert.Equal("udp", ChannelJson.Single(udp.Stdout).Text("proto"));
        Assert.Equal("no-policy", ChannelJson.Single(tcp.Stdout).Text("reason"));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task UnreachableIkeDaemon_IsNoError()
    {
        using var ns = ScratchNamespace.Create();
        AddPolicyPair(ns, "required");
        var missing = "unix://" + Path.Combine(Path.GetTempPath(), "cbbc-no-charon-" + Guid.NewGuid().ToString("N") + ".vici");

        var json = await ChannelAsync(ns, "--json", "--vici", missing);

        Assert.Equal("policy-without-sa", json.Text("reason"));
        Assert.Null(json.Text("peer"));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Text_AlignedLinesWithReason()
    {
        using var ns = ScratchNamespace.Create();
        AddPolicyPair(ns, "required");

        var (code, cbb) = await CbbProcess.RunAsync("ipsec", "channel", "--netns", ns.Name, "--local", Local, "--remote", Remote);
        using var process = cbb;

        Assert.True(code == 0, cbb.Output());
        var lines = cbb.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"flow       tcp {Local} -> {Remote}", lines[0]);
        Assert.Equal("protected  no", lines[1]);
        Assert.Equal("reason     policy-without-sa", lines[2]);
        Assert.StartsWith("details    ", lines[3], StringComparison.Ordinal);
    }

    [Theory(Timeout = TestTimeout)]
    [InlineData("--local", "localhost:1", "not a host name")]
    [InlineData("--proto", "sctp", "takes tcp or udp")]
    [InlineData("--vici", "tcp://127.0.0.1:4502", "unix")]
    public async Task BadArguments_Exit2(string option, string value, string message)
    {
        string[] arguments = ["ipsec", "channel", "--local", Local, "--remote", Remote];
        arguments = option == "--local" ? ["ipsec", "channel", "--local", value, "--remote", Remote] : [.. arguments, option, value];
        var (code, cbb) = await CbbProcess.RunAsync(arguments);
        using var process = cbb;
        Assert.Equal(2, code);
        Assert.Contains(message, cbb.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter '", cbb.Stderr, StringComparison.Ordinal); // a usage message, not an exception's
    }

    [Fact(Timeout = TestTimeout)]
    public async Task MixedFamilies_Exit2()
    {
        var (code, cbb) = await CbbProcess.RunAsync("ipsec", "channel", "--local", Local, "--remote", "[::1]:443");
        using var process = cbb;
        Assert.Equal(2, code);
        Assert.Contains("must both be IPv4 or both IPv6", cbb.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task EspSaPair_Protected_SpisAlgorithmsFromTheKernel_UnreachableDaemonLeavesPeerNull()
    {
        using var ns = ScratchNamespace.Create();
        EspSaPair.AddStates(ns, LocalAddress, RemoteAddress, howToRun: "tests/lab/uml/run.sh --project tests/CbbToolkit.Cli.Tests");
        EspSaPair.AddPolicies(ns, LocalAddress, RemoteAddress);
        var missing = "unix://" + Path.Combine(Path.GetTempPath(), "cbbc-no-charon-" + Guid.NewGuid().ToString("N") + ".vici");

        var json = await ChannelAsync(ns, "--json", "--vici", missing);

        Assert.True(json.GetProperty("protected").GetBoolean(), json.ToString());
        Assert.Null(json.Text("reason"));
        var outbound = json.GetProperty("outbound");
        var inbound = json.GetProperty("inbound");
        Assert.Equal(("0x00000101", "esp", "transport", 1u, LocalAddress, RemoteAddress),
            (outbound.Text("spi"), outbound.Text("proto"), outbound.Text("mode"), outbound.GetProperty("reqid").GetUInt32(), outbound.Text("src"), outbound.Text("dst")));
        Assert.Equal(("0x00000201", RemoteAddress, LocalAddress), (inbound.Text("spi"), inbound.Text("src"), inbound.Text("dst")));
        Assert.Equal(["rfc4106(gcm(aes))"], outbound.GetProperty("algorithms").EnumerateArray().Select(a => a.GetString()));
        Assert.True(json.GetProperty("qopIndeterminate").GetBoolean()); // the SAs' selectors are not narrowed to the 5-tuple
        Assert.Null(json.Text("peer"));
        Assert.Equal("unreachable", json.Text("peerStatus"));
        Assert.Contains("not reachable", json.Text("peerReason"), StringComparison.Ordinal);
    }

    // Out and in policies for the test flow, requiring ESP (or optional: "use"), reqid 3.
    private static void AddPolicyPair(ScratchNamespace ns, string level)
    {
        ns.Ip("xfrm", "policy", "add", "src", "192.0.2.1/32", "dst", "192.0.2.2/32", "proto", "tcp", "dir", "out",
            "tmpl", "proto", "esp", "mode", "transport", "reqid", "3", "level", level);
        ns.Ip("xfrm", "policy", "add", "src", "192.0.2.2/32", "dst", "192.0.2.1/32", "proto", "tcp", "dir", "in",
            "tmpl", "proto", "esp", "mode", "transport", "reqid", "3", "level", level);
    }

    private static async Task<System.Text.Json.JsonElement> ChannelAsync(ScratchNamespace ns, params string[] options)
    {
        var (code, cbb) = await CbbProcess.RunAsync(["ipsec", "channel", "--netns", ns.Name, "--local", Local, "--remote", Remote, .. options]);
        using var process = cbb;
        Assert.True(code == 0, cbb.Output());
        return ChannelJson.Single(cbb.Stdout);
    }
}
