using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CbbToolkit.Cli.Tests.Infrastructure;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Sockets;
using Xunit;
using CbbToolkit.Testing.Namespaces;

namespace CbbToolkit.Cli.Tests.Xfrm;

/// <summary><c>cbb xfrm monitor</c> on the host kernel: events caused by the test, in the test's own namespace.</summary>
public sealed class XfrmMonitorCommandTests
{
    private const int TestTimeout = 120_000;

    [Fact(Timeout = TestTimeout)]
    public async Task CountOne_SeesThePolicyIpAdds_AsIpShowsIt()
    {
        using var ns = ScratchNamespace.Create();
        using var monitor = await StartMonitorAsync(ns, "--json", "--count", "1");

        ns.Ip("xfrm", "policy", "add", "src", "10.9.0.0/24", "dst", "10.8.0.0/24", "proto", "udp", "dport", "4789", "dir", "out",
            "priority", "55", "tmpl", "proto", "esp", "mode", "transport", "reqid", "9");

        Assert.True(await monitor.WaitForExitAsync() == 0, monitor.Output());
        var line = ChannelJson.Single(monitor.Stdout);
        Assert.Equal("policy-added", line.GetProperty("type").GetString());
        Assert.Equal(Assert.Single(XfrmViews.Policies(ns.Name)), XfrmViews.FromJson(line));
        Assert.Contains("stopped after 1 event(s)", monitor.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Acquire_FromConnectUnderSocketPolicy_NamesTheFlowAndTheReqid()
    {
        using var ns = ScratchNamespace.Create();
        using var listener = ns.Listen(IPAddress.Loopback);
        using var socket = ns.Tcp(AddressFamily.InterNetwork);
        socket.SetIpsecPolicy(new IpsecPolicy { RequestId = 31 });
        using var monitor = await StartMonitorAsync(ns, "--json", "--count", "1");

        await Assert.ThrowsAsync<IpsecException>(() => socket.ConnectIpsecAsync(listener.LocalEndPoint!, TestContext.Current.CancellationToken));

        Assert.True(await monitor.WaitForExitAsync() == 0, monitor.Output());
        var acquire = ChannelJson.Single(monitor.Stdout);
        Assert.Equal("acquire", acquire.GetProperty("type").GetString());
        Assert.Equal(("127.0.0.1", "127.0.0.1", "esp"), (acquire.Text("src"), acquire.Text("dst"), acquire.Text("proto")));
        var selector = acquire.GetProperty("selector");
        Assert.Equal(("127.0.0.1/32", "tcp", ((IPEndPoint)listener.LocalEndPoint!).Port),
            (selector.Text("dst"), selector.Text("proto"), selector.GetProperty("dport").GetInt32()));
        var policy = acquire.GetProperty("policy");
        Assert.Equal("out", policy.Text("dir")); // the kernel reports an ACQUIRE's policy as "out", socket policies too
        Assert.Equal("0.0.0.0/0", policy.Text("dst")); // ... but it is the socket's: its selector, not the flow's
        Assert.Equal(31u, policy.GetProperty("templates")[0].GetProperty("reqid").GetUInt32());
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Text_OneLinePerEvent_UntilSigterm_Exit0()
    {
        using var ns = ScratchNamespace.Create();
        using var monitor = await StartMonitorAsync(ns);

        ns.Ip("xfrm", "policy", "add", "src", "10.9.0.0/24", "dst", "10.8.0.0/24", "dir", "in", "action", "block");
        ns.Ip("xfrm", "policy", "flush");
        await monitor.WaitForStdoutAsync(l => l.StartsWith("flush-policy", StringComparison.Ordinal));
        monitor.Signal(15);

        Assert.True(await monitor.WaitForExitAsync() == 0, monitor.Output());
        var lines = monitor.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("policy-added in 10.9.0.0/24 -> 10.8.0.0/24 ", lines[0], StringComparison.Ordinal);
        Assert.Contains(" block ", lines[0], StringComparison.Ordinal);
        Assert.Equal("flush-policy", lines[1]);
        Assert.Contains("stopped after 2 event(s)", monitor.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Starts the monitor and waits until it listens (its stderr says so), so no event is missed.</summary>
    private static async Task<ChildProcess> StartMonitorAsync(ScratchNamespace ns, params string[] options)
    {
        var monitor = CbbProcess.Start(["xfrm", "monitor", "--netns", ns.Name, .. options]);
        try
        {
            await monitor.WaitForStderrAsync(l => l.StartsWith("monitoring XFRM events", StringComparison.Ordinal));
            return monitor;
        }
        catch
        {
            monitor.Dispose();
            throw;
        }
    }
}
