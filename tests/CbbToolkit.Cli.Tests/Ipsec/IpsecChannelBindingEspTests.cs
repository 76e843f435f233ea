using CbbToolkit.Cli.Tests.Infrastructure;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Namespaces;
using Xunit;

namespace CbbToolkit.Cli.Tests.Ipsec;

/// <summary>
/// <c>cbb ipsec channel --json</c> on both ends of one ESP SA pair: two namespaces (A 10.99.0.1, B 10.99.0.2) hold the
/// pair of test vector 1 of docs/channel-bindings.md and the policies requiring it, and cbb run in each for the same
/// connection (as each end sees it) prints the same ipsecSaBinding - the vector's value - read from its own kernel.
/// Needs a kernel with ESP: skips on the host, runs in User-Mode Linux (./run: --project tests/CbbToolkit.Cli.Tests --filter Esp).
/// </summary>
public sealed class IpsecChannelBindingEspTests
{
    private const int TestTimeout = 120_000;
    private const string A = "10.99.0.1";
    private const string B = "10.99.0.2";
    private const string Vector1 = "fd310b14f6c572d8236dec3db8f1ff9ab5d0d613406e9556e01169fa1e87685e";

    [Fact(Timeout = TestTimeout)]
    public async Task BothEnds_EspSaPair_SameIpsecSaBinding_TheDocumentsVector()
    {
        using var a = ScratchNamespace.Create("cbbc-");
        using var b = ScratchNamespace.Create("cbbc-");
        foreach (var (ns, local, remote) in new[] { (a, A, B), (b, B, A) })
        {
            AddVectorSas(ns);
            ns.Ip("xfrm", "policy", "add", "src", local, "dst", remote, "proto", "tcp", "dir", "out",
                "tmpl", "src", local, "dst", remote, "proto", "esp", "mode", "transport", "reqid", "9");
            ns.Ip("xfrm", "policy", "add", "src", remote, "dst", local, "proto", "tcp", "dir", "in",
                "tmpl", "src", remote, "dst", local, "proto", "esp", "mode", "transport", "reqid", "9");
        }

        var atA = await ChannelAsync(a, A + ":40001", B + ":443");
        var atB = await ChannelAsync(b, B + ":443", A + ":40001");

        Assert.Equal(Vector1, atA.Hex("ipsecSaBinding", 64));
        Assert.Equal(Vector1, atB.Hex("ipsecSaBinding", 64));
        Assert.Null(atA.Text("ipsecSaBindingReason"));
        Assert.Equal(("0x00001001", "0x00002002"), (atA.GetProperty("outbound").Text("spi"), atB.GetProperty("outbound").Text("spi")));
        // No IKE daemon here: the end-point value is null with its reason.
        Assert.Null(atA.Text("ipsecEndPointSha256"));
        Assert.Equal("no-peer", atA.Text("ipsecEndPointSha256Reason"));
        Assert.Equal("no-peer", atB.Text("ipsecEndPointSha256Reason"));
    }

    // Test vector 1's SAs (published counting-pattern keys); skips when the kernel has no ESP.
    private static void AddVectorSas(ScratchNamespace ns)
    {
        var first = ns.TryIp("xfrm", "state", "add", "src", A, "dst", B, "proto", "esp", "spi", "0x1001", "reqid", "9", "mode", "transport",
            "aead", "rfc4106(gcm(aes))", "0x" + Count(0x00), "128");
        if (!first.Succeeded)
        {
            Esp.Unavailable("ip: " + first.Stderr.Trim(), "tests/lab/uml/run.sh --project tests/CbbToolkit.Cli.Tests --filter Esp");
        }

        ns.Ip("xfrm", "state", "add", "src", B, "dst", A, "proto", "esp", "spi", "0x2002", "reqid", "9", "mode", "transport",
            "aead", "rfc4106(gcm(aes))", "0x" + Count(0x20), "128");
    }

    private static string Count(int start) => Convert.ToHexStringLower(Enumerable.Range(start, 20).Select(i => (byte)i).ToArray());

    private static async Task<System.Text.Json.JsonElement> ChannelAsync(ScratchNamespace ns, string local, string remote)
    {
        var missing = "unix://" + Path.Combine(Path.GetTempPath(), "cbbc-no-charon-" + Guid.NewGuid().ToString("N") + ".vici");
        var (code, cbb) = await CbbProcess.RunAsync("ipsec", "channel", "--netns", ns.Name, "--local", local, "--remote", remote, "--json", "--vici", missing);
        using var process = cbb;
        Assert.True(code == 0, cbb.Output());
        var json = ChannelJson.Single(cbb.Stdout);
        Assert.True(json.GetProperty("protected").GetBoolean(), json.ToString());
        return json;
    }
}
