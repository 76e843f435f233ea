using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CbbToolkit.Cli.Tests.Infrastructure;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Sockets;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Namespaces;
using CbbToolkit.Testing.Processes;
using Xunit;

namespace CbbToolkit.Cli.Tests.Xfrm;

/// <summary><c>cbb xfrm policy</c> against the host kernel, each test in its own namespace, compared with <c>ip -s xfrm policy</c>.</summary>
public sealed class XfrmPolicyCommandTests
{
    private const int TestTimeout = 120_000;

    [Fact(Timeout = TestTimeout)]
    public async Task Json_EqualsWhatIpShows_Ipv4Ipv6TemplatesPrioritiesBlock()
    {
        using var ns = ScratchNamespace.Create();
        ns.Ip("xfrm", "policy", "add", "src", "10.0.0.0/24", "dst", "10.1.0.0/24", "proto", "tcp", "dport", "443", "dir", "out",
            "priority", "100", "tmpl", "proto", "esp", "mode", "transport", "reqid", "5", "level", "use");
        ns.Ip("xfrm", "policy", "add", "src", "10.1.0.0/24", "dst", "10.0.0.0/24", "proto", "udp", "sport", "53", "dir", "in",
            "priority", "7", "tmpl", "proto", "comp", "mode", "transport", "reqid", "6", "level", "use",
            "tmpl", "proto", "esp", "mode", "transport", "reqid", "6");
        ns.Ip("xfrm", "policy", "add", "src", "2001:db8::/64", "dst", "2001:db8:1::/64", "dir", "fwd",
            "tmpl", "src", "2001:db8::1", "dst", "2001:db8::2", "proto", "esp", "mode", "tunnel", "reqid", "7");
        ns.Ip("xfrm", "policy", "add", "src", "10.0.0.1/32", "dst", "10.0.0.2/32", "proto", "icmp", "type", "8", "code", "0",
            "dir", "out", "priority", "3", "action", "block");
        ns.Ip("xfrm", "policy", "add", "src", "::/0", "dst", "2001:db8:9::1/128", "proto", "ah", "dir", "in", "priority", "4294967295");

        var (code, cbb) = await CbbProcess.RunAsync("xfrm", "policy", "--netns", ns.Name, "--json");
        using var process = cbb;
        Assert.True(code == 0, cbb.Output());

        var shown = Views(cbb.Stdout);
        var expected = XfrmViews.Policies(ns.Name);
        Assert.Equal(5, expected.Count);
        Assert.Equal(expected.OrderBy(v => v.Index), shown.OrderBy(v => v.Index));
        Assert.Contains(shown, v => v is { Dir: "fwd", Src: "2001:db8::/64", Templates: "esp/tunnel/7/2001:db8::1/2001:db8::2/required" });
        Assert.Contains(shown, v => v is { Action: "block", Proto: "icmp", Sport: 8, Dport: 0, Templates: "" });
    }

    [Fact(Timeout = TestTimeout)]
    public async Task SocketPolicies_ShowWhileTheSocketIsOpen_ThenGo()
    {
        using var ns = ScratchNamespace.Create();
        ns.Ip("xfrm", "policy", "add", "src", "10.0.0.0/8", "dst", "10.0.0.0/8", "dir", "out", "tmpl", "proto", "esp", "reqid", "1");
        var socket = ns.Tcp(AddressFamily.InterNetwork);
        socket.SetIpsecPolicy(new IpsecPolicy { RequestId = 42, Priority = 9 });

        var (code, open) = await CbbProcess.RunAsync("xfrm", "policy", "--netns", ns.Name, "--json");
        using (open)
        {
            Assert.True(code == 0, open.Output());
            var shown = Views(open.Stdout);
            Assert.Equal(XfrmViews.Policies(ns.Name).OrderBy(v => v.Index), shown.OrderBy(v => v.Index));
            Assert.Equal(["out", "socket-in", "socket-out"], shown.Select(v => v.Dir).Order());
            Assert.All(shown.Where(v => v.Dir.StartsWith("socket", StringComparison.Ordinal)),
                v => Assert.Equal((9u, "esp/transport/42/0.0.0.0/0.0.0.0/required"), (v.Priority, v.Templates)));
        }

        socket.Dispose();
        var closedOutput = "";
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var (closedCode, closed) = await CbbProcess.RunAsync("xfrm", "policy", "--netns", ns.Name, "--json");
            using (closed)
            {
                Assert.True(closedCode == 0, closed.Output());
                closedOutput = closed.Stdout;
                if (Views(closedOutput).Count == 1)
                {
                    break;
                }
            }

            // The kernel frees a closed socket's policies a moment later (deferred); nothing to wait on but the state: poll, bounded.
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Equal("out", Assert.Single(Views(closedOutput)).Dir);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Text_AlignedTableWithOneRowPerPolicy()
    {
        using var ns = ScratchNamespace.Create();
        ns.Ip("xfrm", "policy", "add", "src", "10.0.0.0/24", "dst", "10.1.0.0/24", "proto", "tcp", "dport", "443", "dir", "out",
            "priority", "100", "tmpl", "proto", "esp", "reqid", "5");
        ns.Ip("xfrm", "policy", "add", "src", "2001:db8::/64", "dst", "2001:db8:1::/64", "dir", "in", "action", "block");

        var (code, cbb) = await CbbProcess.RunAsync("xfrm", "policy", "--netns", ns.Name);
        using var process = cbb;
        Assert.True(code == 0, cbb.Output());
        var lines = cbb.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("DIR", lines[0], StringComparison.Ordinal);
        var column = lines[0].IndexOf("TEMPLATES", StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("out ", StringComparison.Ordinal) && l[column..] == "esp/transport reqid 5 required");
        Assert.Contains(lines, l => l.StartsWith("in ", StringComparison.Ordinal) && l.Contains("2001:db8:1::/64", StringComparison.Ordinal) && l[column..] == "-");
    }

    [Fact(Timeout = TestTimeout)]
    public async Task EmptyNamespace_EmptyArray()
    {
        using var ns = ScratchNamespace.Create();
        var (code, cbb) = await CbbProcess.RunAsync("xfrm", "policy", "--netns", ns.Name, "--json");
        using var process = cbb;
        Assert.True(code == 0, cbb.Output());
        Assert.Equal("[]", cbb.Stdout.Trim());
    }

    [Fact(Timeout = TestTimeout)]
    public async Task MissingNamespace_Exit1_SaysHowToFindTheName()
    {
        Root.Require("Entering a network namespace");
        var (code, cbb) = await CbbProcess.RunAsync("xfrm", "policy", "--netns", "cbbc-does-not-exist");
        using var process = cbb;
        Assert.Equal(1, code);
        Assert.Empty(cbb.Stdout);
        Assert.Contains("does not exist", cbb.Stderr, StringComparison.Ordinal);
        Assert.Contains("ip netns list", cbb.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task AsNobody_Exit1_NeedsCapNetAdminRunAsRoot()
    {
        Root.Require("Dropping to nobody");
        Tool.Require("setpriv", "util-linux");
        Skip.Unless(CanNobodyRead(CbbProcess.Program), SkipCategory.PrivateBuild, $"nobody cannot read {CbbProcess.Program} here (a private build directory).");

        // Run cbb as nobody, without capabilities: the kernel refuses the XFRM dump with EPERM.
        using var cbb = ChildProcess.Start("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", .. CbbProcess.CommandLine("xfrm", "policy")]);
        Assert.Equal(1, await cbb.WaitForExitAsync());
        Assert.Empty(cbb.Stdout);
        Assert.Contains("needs CAP_NET_ADMIN: run as root", cbb.Stderr, StringComparison.Ordinal);
        Assert.Contains("EPERM", cbb.Stderr, StringComparison.Ordinal);
    }

    internal static List<PolicyView> Views(string stdout)
    {
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(JsonValueKind.Array, json.RootElement.ValueKind);
        return json.RootElement.EnumerateArray().Select(XfrmViews.FromJson).ToList();
    }

    private static bool CanNobodyRead(string path)
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(path)!); dir is not null; dir = dir.Parent)
        {
            if ((dir.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return (File.GetUnixFileMode(path) & UnixFileMode.OtherRead) != 0;
    }
}
