using System.Diagnostics;
using System.Net.NetworkInformation;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Testing.Capabilities;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Namespaces;

public sealed class NetworkNamespaceTests
{
    [Fact]
    public void MissingNamespace_NotFound()
    {
        var e = Assert.Throws<IpsecException>(() => NetworkNamespace.Run("cbb-does-not-exist-" + Guid.NewGuid().ToString("N")[..8], () => 0));
        Assert.Equal(IpsecError.NotFound, e.Error);
    }

    [Fact]
    public void Run_SeesOnlyTheNamespacesInterfaces()
    {
        Root.Require("Creating network namespaces");
        var name = "cbbt-" + Guid.NewGuid().ToString("N")[..8];
        Exec("ip", $"netns add {name}");
        try
        {
            Exec("ip", $"link add cbbt-out type veth peer name cbbt-in netns {name}");
            var inside = NetworkNamespace.Run(name, () => NetworkInterface.GetAllNetworkInterfaces().Select(i => i.Name).ToArray());
            Assert.Contains("cbbt-in", inside);
            Assert.DoesNotContain("cbbt-out", inside);
            Assert.DoesNotContain("cbbt-in", NetworkInterface.GetAllNetworkInterfaces().Select(i => i.Name));
        }
        finally
        {
            Exec("ip", $"netns del {name}"); // takes the veth pair with it
        }
    }

    private static void Exec(string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        p.WaitForExit(10_000);
        Assert.True(p.ExitCode == 0, $"{file} {args}: {p.StandardError.ReadToEnd()}");
    }
}
