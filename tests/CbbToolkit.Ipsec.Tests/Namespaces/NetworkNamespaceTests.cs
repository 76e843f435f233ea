using System.Net.NetworkInformation;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Testing.Namespaces;
using CbbToolkit.Testing.Processes;
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
        using var ns = ScratchNamespace.Create();
        Tool.Run("ip", "link", "add", "cbbt-out", "type", "veth", "peer", "name", "cbbt-in", "netns", ns.Name); // ns's Dispose takes the pair
        var inside = NetworkNamespace.Run(ns.Name, () => NetworkInterface.GetAllNetworkInterfaces().Select(i => i.Name).ToArray());
        Assert.Contains("cbbt-in", inside);
        Assert.DoesNotContain("cbbt-out", inside);
        Assert.DoesNotContain("cbbt-in", NetworkInterface.GetAllNetworkInterfaces().Select(i => i.Name));
    }
}
