using System.Net.Sockets;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Testing.Capabilities;
using Xunit;

namespace CbbToolkit.Lab.Tests.Infrastructure;

/// <summary>The test-only socket-policy encoder, read back by iproute2 (works on the host kernel too: no ESP needed).</summary>
public sealed class SocketPolicyOptionTests
{
    [Theory]
    [InlineData(AddressFamily.InterNetwork, "0.0.0.0/0")]
    [InlineData(AddressFamily.InterNetworkV6, "::/0")]
    public void RequireEsp_IpXfrmShowsBothSocketPolicies(AddressFamily family, string anySelector)
    {
        Root.Require("The socket policy encoder test (network namespaces, CAP_NET_ADMIN)");
        using var hosts = new TwoHosts();
        using var socket = NetworkNamespace.Run(hosts.A.Namespace, () => new Socket(family, SocketType.Stream, ProtocolType.Tcp));

        SocketPolicyOption.RequireEsp(socket, SocketPolicyOption.DirOut, 23);
        SocketPolicyOption.RequireEsp(socket, SocketPolicyOption.DirIn, 23);

        // ip prints one block per policy: "src S dst D", then indented "socket out ...", "tmpl ...", "proto esp reqid ...".
        var blocks = Blocks(TwoHosts.Ip(["-n", hosts.A.Namespace, "xfrm", "policy"]));
        foreach (var dir in new[] { "socket out", "socket in" })
        {
            var block = Assert.Single(blocks, b => b.Contains(dir, StringComparison.Ordinal));
            Assert.StartsWith($"src {anySelector} dst {anySelector}", block, StringComparison.Ordinal);
            Assert.Contains("proto esp reqid 23 mode transport", block, StringComparison.Ordinal);
        }

        Assert.Equal(2, blocks.Count);
    }

    private static List<string> Blocks(string dump)
    {
        var blocks = new List<string>();
        foreach (var line in dump.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line[0] is '\t' or ' ' && blocks.Count > 0)
            {
                blocks[^1] += "\n" + line.Trim();
            }
            else
            {
                blocks.Add(line.Trim());
            }
        }

        return blocks;
    }
}
