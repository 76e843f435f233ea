using System.Net;
using CbbToolkit.Testing.Iproute2;
using CbbToolkit.Testing.Namespaces;
using CbbToolkit.Testing.Processes;
using Xunit;

namespace CbbToolkit.Testing.Tests.Namespaces;

/// <summary>The namespace helpers against the host kernel (root): what they make is there, and Dispose takes it away.</summary>
public sealed class ScratchNamespaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Create_LoUp_DisposeDeletesIt()
    {
        string name;
        using (var ns = ScratchNamespace.Create("cbbtt-"))
        {
            name = ns.Name;
            Assert.StartsWith("cbbtt-", name, StringComparison.Ordinal);
            Assert.Contains(name, Namespaces());
            Assert.Contains("state UNKNOWN", ns.Ip("link", "show", "lo"), StringComparison.Ordinal); // lo up (it has no carrier state)
            Assert.Contains("lo", ns.Exec("cat", "/proc/net/dev"), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(name, Namespaces());
    }

    [Fact]
    public void IpLineAndBatch_ReachTheKernel_XfrmPoliciesReadThemBack()
    {
        using var ns = ScratchNamespace.Create();
        ns.IpLine("xfrm policy add src 10.5.0.1/32 dst 10.5.0.2/32 proto tcp dport 443 dir out priority 7 tmpl proto esp reqid 4 mode transport");
        ns.Batch("xfrm policy add src 10.5.0.2/32 dst 10.5.0.1/32 dir in action block\n");
        Assert.False(ns.TryIpLine("xfrm policy add src 10.5.0.2/32 dst 10.5.0.1/32 dir in action block").Succeeded); // it exists

        var policies = ns.XfrmPolicies().OrderBy(p => p.Direction).ToList();

        Assert.Equal(2, policies.Count);
        Assert.Equal(("in", "block", new IpXfrmSelector("10.5.0.2/32", "10.5.0.1/32")), (policies[0].Direction, policies[0].Action, policies[0].Selector));
        Assert.Equal(("out", 7u, new IpXfrmSelector("10.5.0.1/32", "10.5.0.2/32", "tcp", null, 443)),
            (policies[1].Direction, policies[1].Priority, policies[1].Selector));
        Assert.Equal(new IpXfrmTemplate("0.0.0.0", "0.0.0.0", "esp", 0, 4, "transport", "required"), Assert.Single(policies[1].Templates));
        Assert.Empty(ns.XfrmStates());
    }

    [Fact]
    public async Task Pair_VethBetweenThem_TcpConnects_DisposeDeletesBoth()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        string[] names = [$"cbbtt-a-{tag}", $"cbbtt-b-{tag}"];
        using (var pair = ScratchNamespacePair.Create(names[0], "veth-a", "addr add 10.98.0.1/24 dev veth-a\nlink set veth-a up\n",
                   names[1], "veth-b", "addr add 10.98.0.2/24 dev veth-b\nlink set veth-b up\n"))
        {
            Assert.Equal(names, new[] { pair.A.Name, pair.B.Name });
            using var listener = pair.B.Listen(IPAddress.Parse("10.98.0.2"));
            using var client = pair.A.Tcp();
            await client.ConnectAsync(listener.LocalEndPoint!, Ct);
            using var accepted = await listener.AcceptAsync(Ct);
            Assert.Equal(IPAddress.Parse("10.98.0.1"), ((IPEndPoint)accepted.RemoteEndPoint!).Address);
        }

        Assert.DoesNotContain(names[0], Namespaces());
        Assert.DoesNotContain(names[1], Namespaces());
    }

    [Fact]
    public async Task Link_TwoNamespaces_TcpConnectsOverTheVeth()
    {
        using var a = ScratchNamespace.Create();
        using var b = ScratchNamespace.Create();
        a.Link(b, "10.97.0.1", "10.97.0.2");
        using var listener = b.Listen(IPAddress.Parse("10.97.0.2"));
        using var client = a.Tcp();

        await client.ConnectAsync(listener.LocalEndPoint!, Ct);

        using var accepted = await listener.AcceptAsync(Ct);
        Assert.Equal(IPAddress.Parse("10.97.0.1"), ((IPEndPoint)accepted.RemoteEndPoint!).Address);
    }

    private static string Namespaces() => Tool.Run("ip", "netns", "list");
}
