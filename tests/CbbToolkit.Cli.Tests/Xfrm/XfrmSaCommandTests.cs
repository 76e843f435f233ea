using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CbbToolkit.Cli.Tests.Infrastructure;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Sockets;
using CbbToolkit.Ipsec.Xfrm;
using CbbToolkit.Testing.Iproute2;
using CbbToolkit.Testing.Namespaces;
using Xunit;

namespace CbbToolkit.Cli.Tests.Xfrm;

/// <summary>
/// <c>cbb xfrm sa</c> on the host kernel, compared with <c>ip -s xfrm state</c>. The host kernel has no ESP, AH or
/// IPComp, so the only SA it can hold is the larval one an ACQUIRE leaves: connect() on a socket whose policy needs
/// ESP fails with EAGAIN and leaves an SA with SPI 0 for the flow - but only while a key manager listens for ACQUIRE
/// (without a listener the kernel drops the larval SA at once), so each test keeps an XFRM monitor open meanwhile.
/// </summary>
public sealed class XfrmSaCommandTests
{
    private const int TestTimeout = 120_000;

    [Theory(Timeout = TestTimeout)]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task LarvalSaFromAcquire_JsonEqualsWhatIpShows(string address)
    {
        using var ns = ScratchNamespace.Create();
        var loopback = IPAddress.Parse(address);
        using var listener = ns.Listen(loopback);
        using var socket = ns.Tcp(loopback.AddressFamily);
        if (loopback.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.DualMode = false;
        }

        using var keyManager = XfrmMonitor.Open(ns.Name);
        socket.SetIpsecPolicy(new IpsecPolicy { RequestId = 77 });
        var e = await Assert.ThrowsAsync<IpsecException>(() => socket.ConnectIpsecAsync(listener.LocalEndPoint!, TestContext.Current.CancellationToken));
        Assert.Equal(IpsecError.TryAgain, e.Error);

        var (code, cbb) = await CbbProcess.RunAsync("xfrm", "sa", "--netns", ns.Name, "--json");
        using var process = cbb;
        Assert.True(code == 0, cbb.Output());
        var shown = States(cbb.Stdout);
        var expected = XfrmViews.States(ns.Name);
        Assert.Single(expected);
        Assert.Equal(expected, shown.Select(XfrmViews.StateFromJson));

        var larval = shown.Single();
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        Assert.Equal(("esp", "0x00000000", 77u, "transport"),
            (larval.GetProperty("proto").GetString(), larval.GetProperty("spi").GetString(), larval.GetProperty("reqid").GetUInt32(),
                larval.GetProperty("mode").GetString()));
        Assert.Equal(port, larval.GetProperty("selector").GetProperty("dport").GetInt32());
        Assert.Equal("tcp", larval.GetProperty("selector").GetProperty("proto").GetString());
        Assert.Equal(0, larval.GetProperty("algorithms").GetArrayLength());
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Text_LarvalSaRow_AndEmptyNamespaceSaysSo()
    {
        using var ns = ScratchNamespace.Create();
        var (emptyCode, empty) = await CbbProcess.RunAsync("xfrm", "sa", "--netns", ns.Name);
        using (empty)
        {
            Assert.True(emptyCode == 0, empty.Output());
            Assert.Equal("(no SAs)", empty.Stdout.Trim());
        }

        using var listener = ns.Listen(IPAddress.Loopback);
        using var socket = ns.Tcp(AddressFamily.InterNetwork);
        using var keyManager = XfrmMonitor.Open(ns.Name);
        socket.SetIpsecPolicy(new IpsecPolicy { RequestId = 12 });
        await Assert.ThrowsAsync<IpsecException>(() => socket.ConnectIpsecAsync(listener.LocalEndPoint!, TestContext.Current.CancellationToken));

        var (code, cbb) = await CbbProcess.RunAsync("xfrm", "sa", "--netns", ns.Name);
        using var process = cbb;
        Assert.True(code == 0, cbb.Output());
        var lines = cbb.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("SRC", lines[0], StringComparison.Ordinal);
        var words = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["127.0.0.1", "127.0.0.1", "esp", "0x00000000", "12", "transport"], words[..6]);
        Assert.Equal("-", words[^1]); // no algorithms on a larval SA
    }

    [Fact(Timeout = TestTimeout)]
    public async Task WithoutNetnsOption_ReadsItsOwnNamespace()
    {
        using var ns = ScratchNamespace.Create();
        using var listener = ns.Listen(IPAddress.Loopback);
        using var socket = ns.Tcp(AddressFamily.InterNetwork);
        using var keyManager = XfrmMonitor.Open(ns.Name);
        socket.SetIpsecPolicy(new IpsecPolicy { RequestId = 5 });
        await Assert.ThrowsAsync<IpsecException>(() => socket.ConnectIpsecAsync(listener.LocalEndPoint!, TestContext.Current.CancellationToken));

        // cbb started inside the namespace (ip netns exec) and without --netns reads the namespace it runs in.
        using var cbb = ChildProcess.Start("ip", ["netns", "exec", ns.Name, .. CbbProcess.CommandLine("xfrm", "sa", "--json")]);
        Assert.True(await cbb.WaitForExitAsync() == 0, cbb.Output());
        Assert.Equal(XfrmViews.States(ns.Name), States(cbb.Stdout).Select(XfrmViews.StateFromJson));
        Assert.Equal(5u, States(cbb.Stdout).Single().GetProperty("reqid").GetUInt32());
    }

    [Fact(Timeout = TestTimeout)]
    public async Task KeyedEspSas_EqualWhatIpShows_KeysNeverPrinted()
    {
        using var ns = ScratchNamespace.Create();
        EspSaPair.AddStates(ns, "192.0.2.1", "192.0.2.2", howToRun: "tests/lab/uml/run.sh --project tests/CbbToolkit.Cli.Tests");
        var ipText = ns.Ip("-s", "xfrm", "state");
        Assert.Contains(EspSaPair.AeadKey, ipText, StringComparison.Ordinal); // the keys are in the kernel (ip shows them)

        var (code, json) = await CbbProcess.RunAsync("xfrm", "sa", "--netns", ns.Name, "--json");
        using var jsonProcess = json;
        var (textCode, text) = await CbbProcess.RunAsync("xfrm", "sa", "--netns", ns.Name);
        using var textProcess = text;

        Assert.True(code == 0 && textCode == 0, json.Output() + text.Output());
        Assert.Equal(XfrmViews.States(IpXfrmParser.ParseStates(ipText)).OrderBy(v => v.Spi), States(json.Stdout).Select(XfrmViews.StateFromJson).OrderBy(v => v.Spi));
        var outbound = States(json.Stdout).Single(s => s.GetProperty("spi").GetString() == "0x00000101");
        var inbound = States(json.Stdout).Single(s => s.GetProperty("spi").GetString() == "0x00000201");
        Assert.Equal(["rfc4106(gcm(aes))"], outbound.GetProperty("algorithms").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["cbc(aes)", "hmac(sha256)"], inbound.GetProperty("algorithms").EnumerateArray().Select(a => a.GetString()));
        foreach (var key in new[] { EspSaPair.AeadKey, EspSaPair.CipherKey, EspSaPair.AuthKey })
        {
            Assert.DoesNotContain(key[2..10], json.Stdout + text.Stdout, StringComparison.OrdinalIgnoreCase);
        }
    }

    internal static List<JsonElement> States(string stdout)
    {
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(JsonValueKind.Array, json.RootElement.ValueKind);
        return json.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
