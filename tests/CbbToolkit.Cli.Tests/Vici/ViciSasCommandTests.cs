using System.Text.Json;
using CbbToolkit.Cli.Tests.Infrastructure;
using CbbToolkit.Testing.Charon;
using Xunit;

namespace CbbToolkit.Cli.Tests.Vici;

/// <summary>
/// <c>cbb vici sas</c> against two real charons (<see cref="CharonPair"/>: tunnel mode over kernel-libipsec, so the child SA
/// comes up on a host kernel without ESP; A initiates), compared with <c>swanctl --list-sas</c>.
/// </summary>
public sealed class ViciSasCommandTests
{
    private const int TestTimeout = 180_000;

    private static Task<CharonPair> StartLabAsync()
    {
        CharonLab.Require(CharonKernel.Libipsec);
        return CharonPair.StartAsync(new CharonPairOptions { Initiate = true, NamespacePrefix = "cbbc-" }, TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task BothPeers_JsonEqualsSwanctl_IdsSpisAlgorithmsCounters()
    {
        await using var lab = await StartLabAsync();
        lab.A.SendUdp(lab.B, 3);

        var seen = new Dictionary<string, SwanctlIkeSa>();
        foreach (var peer in new[] { lab.A, lab.B })
        {
            var (code, cbb) = await CbbProcess.RunAsync("vici", "sas", "--vici", peer.Uri, "--json");
            using var process = cbb;
            Assert.True(code == 0, cbb.Output());
            var expected = SwanctlListSas.Parse(peer.Swanctl("--list-sas"));
            var shown = FromJson(cbb.Stdout);

            Assert.Single(expected);
            Assert.Equal(expected.Select(e => e.Head()), shown.Select(s => s.Head()));
            Assert.Equal(expected.SelectMany(e => e.Children), shown.SelectMany(s => s.Children));
            seen[peer.Name] = shown.Single();
        }

        var (a, b) = (seen["a"], seen["b"]);
        Assert.Equal(("a.test", "b.test", true), (a.LocalId, a.RemoteId, a.IsInitiator));
        Assert.Equal(("b.test", "a.test", false), (b.LocalId, b.RemoteId, b.IsInitiator));
        Assert.Equal(a.Children.Single().InboundSpi, b.Children.Single().OutboundSpi);
        Assert.True(a.Children.Single().OutboundPackets >= 3, "the datagrams sent through the tunnel must show in the counters");
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Text_OneBlockPerIkeSa_WithItsChild()
    {
        await using var lab = await StartLabAsync();
        var expected = SwanctlListSas.Parse(lab.A.Swanctl("--list-sas")).Single();

        var (code, cbb) = await CbbProcess.RunAsync("vici", "sas", "--vici", lab.A.Uri);
        using var process = cbb;
        Assert.True(code == 0, cbb.Output());
        var lines = cbb.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"lab #{expected.UniqueId}: ESTABLISHED, IKEv2, initiator", lines[0]);
        Assert.Equal("  local   'a.test' @ 192.0.2.1[4500]", lines[1]);
        Assert.Equal("  remote  'b.test' @ 192.0.2.2[4500]", lines[2]);
        Assert.Equal("  " + expected.Proposal, lines[3]);
        var child = expected.Children.Single();
        Assert.Equal($"  lab #{child.UniqueId}: reqid {child.RequestId}, {child.State}, {child.Mode}, {child.Proposal}", lines[4]);
        Assert.StartsWith($"    in   {child.InboundSpi}, ", lines[5], StringComparison.Ordinal);
        Assert.StartsWith($"    out  {child.OutboundSpi}, ", lines[6], StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task NoDaemon_Exit1_SaysToStartCharonOrPassVici()
    {
        var missing = "unix://" + Path.Combine(Path.GetTempPath(), "cbbc-no-charon-" + Guid.NewGuid().ToString("N") + ".vici");
        var (code, cbb) = await CbbProcess.RunAsync("vici", "sas", "--vici", missing);
        using var process = cbb;
        Assert.Equal(1, code);
        Assert.Empty(cbb.Stdout);
        Assert.Contains("is charon running?", cbb.Stderr, StringComparison.Ordinal);
        Assert.Contains("--vici", cbb.Stderr, StringComparison.Ordinal);
    }

    // cbb's JSON in the shape swanctl's text gives, so the two compare as values.
    private static List<SwanctlIkeSa> FromJson(string stdout)
    {
        using var json = JsonDocument.Parse(stdout);
        return json.RootElement.EnumerateArray().Select(ike => new SwanctlIkeSa(
            ike.GetProperty("name").GetString()!, ike.GetProperty("uniqueId").GetUInt32(), ike.GetProperty("state").GetString()!,
            ike.GetProperty("version").GetInt32(), ike.GetProperty("initiatorSpi").GetString()!, ike.GetProperty("responderSpi").GetString()!,
            ike.GetProperty("initiator").GetBoolean(), ike.GetProperty("localId").GetString()!, ike.GetProperty("localHost").GetString()!,
            ike.GetProperty("localPort").GetInt32(), ike.GetProperty("remoteId").GetString()!, ike.GetProperty("remoteHost").GetString()!,
            ike.GetProperty("remotePort").GetInt32(),
            string.Join('/', new[] { "encryption", "integrity", "prf", "dhGroup" }.Select(k => ike.GetProperty(k).GetString()).Where(v => v is not null)),
            ike.GetProperty("childSas").EnumerateArray().Select(c => new SwanctlChildSa(
                c.GetProperty("name").GetString()!, c.GetProperty("uniqueId").GetUInt32(), c.GetProperty("reqid").GetUInt32(),
                c.GetProperty("state").GetString()!,
                c.GetProperty("mode").GetString() + (c.GetProperty("encapsulated").GetBoolean() ? "-in-UDP" : ""),
                c.GetProperty("protocol").GetString() + ":" + string.Join('/',
                    new[] { "encryption", "integrity", "dhGroup" }.Select(k => c.GetProperty(k).GetString()).Where(v => v is not null)),
                c.GetProperty("spiIn").GetString()!, c.GetProperty("bytesIn").GetUInt64(), c.GetProperty("packetsIn").GetUInt64(),
                c.GetProperty("spiOut").GetString()!, c.GetProperty("bytesOut").GetUInt64(), c.GetProperty("packetsOut").GetUInt64(),
                string.Join(' ', c.GetProperty("localTs").EnumerateArray().Select(t => t.GetString())),
                string.Join(' ', c.GetProperty("remoteTs").EnumerateArray().Select(t => t.GetString())))).ToList())).ToList();
    }
}
