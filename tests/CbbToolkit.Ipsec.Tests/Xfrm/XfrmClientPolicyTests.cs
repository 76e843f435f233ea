using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Netlink;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;
using CbbToolkit.Testing.Namespaces;

namespace CbbToolkit.Ipsec.Tests.Xfrm;

/// <summary>Policy CRUD against the host kernel, each test in its own namespace, cross-checked with <c>ip -s xfrm policy</c>.</summary>
public sealed class XfrmClientPolicyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PoliciesAddedByIp_DumpMatchesIp()
    {
        using var ns = ScratchNamespace.Create();
        ns.IpLine("xfrm policy add src 10.0.0.1/32 dst 10.0.0.2/32 proto tcp sport 1234 dport 80 dir out priority 100 mark 0x5 mask 0xff if_id 9 " +
              "tmpl src 0.0.0.0 dst 0.0.0.0 proto esp mode transport reqid 5 level use");
        ns.IpLine("xfrm policy add src fd00::1/128 dst fd00::/64 dir in tmpl src fd00::9 dst fd00::1 proto esp mode tunnel reqid 7 tmpl proto comp");
        ns.IpLine("xfrm policy add src 10.0.0.0/8 dst 0.0.0.0/0 proto udp dir fwd action block");
        ns.IpLine("xfrm policy add src 192.0.2.0/24 dst 198.51.100.7/32 dir out priority 7 tmpl proto ah spi 0x1234 mode transport reqid 3");

        using var client = XfrmClient.Open(ns.Name);
        var ours = (await client.ListPoliciesAsync(Ct)).Select(IpXfrmViews.View).OrderBy(v => v.Index).ToList();
        var ip = ns.XfrmPolicies().OrderBy(v => v.Index).ToList();

        Assert.Equal(4, ip.Count);
        Assert.Equal(ip, ours);
    }

    [Fact]
    public async Task PoliciesAddedByUs_IpShowsThem()
    {
        using var ns = ScratchNamespace.Create();
        using var client = XfrmClient.Open(ns.Name);
        XfrmPolicy[] added =
        [
            new()
            {
                Selector = XfrmSelector.Between(IPAddress.Parse("10.1.0.1"), IPAddress.Parse("10.1.0.2"), ProtocolType.Tcp, 0, 443),
                Direction = XfrmPolicyDirection.Out,
                Priority = 42,
                Templates = [new XfrmTemplate { Protocol = XfrmProtocol.Esp, RequestId = 11, IsOptional = true }],
                Mark = new XfrmMark(0x10, 0xf0),
            },
            new()
            {
                Selector = XfrmSelector.Any(AddressFamily.InterNetworkV6) with { Source = IPAddress.Parse("fd00:1::"), SourcePrefixLength = 48 },
                Direction = XfrmPolicyDirection.In,
                Templates =
                [
                    new XfrmTemplate { Protocol = XfrmProtocol.Comp, Mode = XfrmMode.Tunnel, Source = IPAddress.Parse("fd00::2"), Destination = IPAddress.Parse("fd00::1"), IsOptional = true },
                    new XfrmTemplate { Protocol = XfrmProtocol.Esp, Destination = IPAddress.IPv6Any, Source = IPAddress.IPv6Any, RequestId = 12 },
                ],
                InterfaceId = 3,
            },
            new()
            {
                Selector = XfrmSelector.Between(IPAddress.Parse("10.9.9.9"), IPAddress.Parse("10.8.8.8"), ProtocolType.Udp, 53, 0),
                Direction = XfrmPolicyDirection.Forward,
                Action = XfrmPolicyAction.Block,
            },
        ];
        foreach (var policy in added)
        {
            await client.AddPolicyAsync(policy, Ct);
        }

        var ip = ns.XfrmPolicies();
        Assert.Equal(added.Length, ip.Count);
        foreach (var policy in added)
        {
            // The kernel picks the index; everything else must read back exactly as we sent it.
            var shown = Assert.Single(ip, v => v.Direction == IpXfrmViews.View(policy).Direction);
            Assert.Equal(IpXfrmViews.View(policy with { Index = shown.Index }), shown);
        }
    }

    [Fact]
    public async Task GetPolicy_BySelectorAndByIndex_EqualsDumpEntry()
    {
        using var ns = ScratchNamespace.Create();
        using var client = XfrmClient.Open(ns.Name);
        var policy = new XfrmPolicy
        {
            Selector = XfrmSelector.Between(IPAddress.Parse("fd00::a"), IPAddress.Parse("fd00::b"), ProtocolType.Tcp, 0, 22),
            Direction = XfrmPolicyDirection.Out,
            Priority = 5,
            Templates = [new XfrmTemplate { Destination = IPAddress.IPv6Any, Source = IPAddress.IPv6Any, RequestId = 2 }],
        };
        await client.AddPolicyAsync(policy, Ct);

        var dumped = Assert.Single(await client.ListPoliciesAsync(Ct));
        Assert.Equal(policy with { Index = dumped.Index, Current = dumped.Current }, dumped);
        Assert.Equal(dumped, await client.GetPolicyAsync(policy.Selector, XfrmPolicyDirection.Out, Ct));
        Assert.Equal(dumped, await client.GetPolicyByIndexAsync(dumped.Index, XfrmPolicyDirection.Out, Ct));
    }

    [Fact]
    public async Task UpdatePolicy_NewPriorityAndTemplates_IpShowsThem()
    {
        using var ns = ScratchNamespace.Create();
        using var client = XfrmClient.Open(ns.Name);
        var selector = XfrmSelector.Between(IPAddress.Parse("10.2.0.1"), IPAddress.Parse("10.2.0.2"));
        await client.AddPolicyAsync(new XfrmPolicy { Selector = selector, Direction = XfrmPolicyDirection.Out, Priority = 1 }, Ct);

        var updated = new XfrmPolicy
        {
            Selector = selector,
            Direction = XfrmPolicyDirection.Out,
            Priority = 99,
            Templates = [new XfrmTemplate { Protocol = XfrmProtocol.Ah, RequestId = 77 }],
        };
        await client.UpdatePolicyAsync(updated, Ct);

        var shown = Assert.Single(ns.XfrmPolicies());
        Assert.Equal(IpXfrmViews.View(updated with { Index = shown.Index }), shown);
    }

    [Fact]
    public async Task DeletePolicy_GoneFromIp_AndSecondDeleteIsNoSuchEntry()
    {
        using var ns = ScratchNamespace.Create();
        ns.IpLine("xfrm policy add src 10.3.0.1/32 dst 10.3.0.2/32 dir in tmpl proto esp reqid 1");
        ns.IpLine("xfrm policy add src 10.3.0.1/32 dst 10.3.0.3/32 dir in tmpl proto esp reqid 1");
        using var client = XfrmClient.Open(ns.Name);
        var selector = XfrmSelector.Between(IPAddress.Parse("10.3.0.1"), IPAddress.Parse("10.3.0.2"));

        await client.DeletePolicyAsync(selector, XfrmPolicyDirection.In, Ct);

        var left = Assert.Single(ns.XfrmPolicies());
        Assert.Equal("10.3.0.3/32", left.Selector.Destination);
        var e = await Assert.ThrowsAsync<NetlinkException>(() => client.DeletePolicyAsync(selector, XfrmPolicyDirection.In, Ct));
        Assert.Equal(IpsecError.NoSuchEntry, e.Error);
        Assert.Equal(2, e.Errno); // ENOENT, as `ip xfrm policy delete` reports it
        Assert.Contains("no such SA or policy", e.Message, StringComparison.Ordinal);

        await client.DeletePolicyByIndexAsync(left.Index, XfrmPolicyDirection.In, Ct);
        Assert.Empty(ns.XfrmPolicies());
    }

    [Fact]
    public async Task AddPolicy_Twice_AlreadyExists()
    {
        using var ns = ScratchNamespace.Create();
        using var client = XfrmClient.Open(ns.Name);
        var policy = new XfrmPolicy { Selector = XfrmSelector.Any(AddressFamily.InterNetwork), Direction = XfrmPolicyDirection.Out };
        await client.AddPolicyAsync(policy, Ct);

        var e = await Assert.ThrowsAsync<NetlinkException>(() => client.AddPolicyAsync(policy, Ct));
        Assert.Equal(IpsecError.AlreadyExists, e.Error);
        Assert.Equal(17, e.Errno);
    }

    [Fact]
    public async Task AddPolicy_KernelRejectsField_InvalidArgumentWithKernelReason()
    {
        using var ns = ScratchNamespace.Create();
        using var client = XfrmClient.Open(ns.Name);
        var (ipExit, _, ipError) = ns.TryIpLine("xfrm policy add src 10.0.0.1 dst 10.0.0.2 dir out tmpl src 10.0.0.1 dst 10.0.0.2 proto esp mode tunnel level use");

        // An optional tunnel template in an outbound policy: Linux refuses it; ip must agree with us.
        var e = await Assert.ThrowsAsync<NetlinkException>(() => client.AddPolicyAsync(new XfrmPolicy
        {
            Selector = XfrmSelector.Between(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2")),
            Direction = XfrmPolicyDirection.Out,
            Templates = [new XfrmTemplate { Mode = XfrmMode.Tunnel, Source = IPAddress.Parse("10.0.0.1"), Destination = IPAddress.Parse("10.0.0.2"), IsOptional = true }],
        }, Ct));
        Assert.NotEqual(0, ipExit);
        Assert.Equal(IpsecError.InvalidArgument, e.Error);
        Assert.NotNull(e.KernelMessage);
        Assert.Contains(e.KernelMessage, ipError, StringComparison.Ordinal);
        Assert.Contains("adding policy Out 10.0.0.1/32 -> 10.0.0.2/32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPolicy_SelectorFamilyMismatch_RejectedBeforeSending()
    {
        using var ns = ScratchNamespace.Create();
        using var client = XfrmClient.Open(ns.Name);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => client.AddPolicyAsync(new XfrmPolicy
        {
            Selector = XfrmSelector.Any(AddressFamily.InterNetwork) with { Destination = IPAddress.IPv6Loopback },
            Direction = XfrmPolicyDirection.Out,
        }, Ct));
        Assert.Contains("Cannot encode the XFRM message: selector destination ::1 is not IPv4", e.Message, StringComparison.Ordinal);
        Assert.Empty(await client.ListPoliciesAsync(Ct));
    }

    [Fact]
    public async Task FlushPolicies_RemovesAll()
    {
        using var ns = ScratchNamespace.Create();
        for (var i = 1; i <= 20; i++)
        {
            ns.IpLine($"xfrm policy add src 10.4.0.{i}/32 dst 10.4.1.0/24 dir out tmpl proto esp reqid {i}");
        }

        using var client = XfrmClient.Open(ns.Name);
        Assert.Equal(20, (await client.ListPoliciesAsync(Ct)).Count);
        await client.FlushPoliciesAsync(Ct);
        Assert.Empty(await client.ListPoliciesAsync(Ct));
        Assert.Empty(ns.XfrmPolicies());
    }

    [Fact]
    public async Task DumpManyPolicies_AllArriveAcrossMultipartDatagrams()
    {
        using var ns = ScratchNamespace.Create();
        using var client = XfrmClient.Open(ns.Name);
        for (var i = 0; i < 600; i++)
        {
            await client.AddPolicyAsync(new XfrmPolicy
            {
                Selector = XfrmSelector.Between(IPAddress.Parse("10.5.0.1"), new IPAddress([10, 6, (byte)(i / 256), (byte)(i % 256)])),
                Direction = XfrmPolicyDirection.Out,
                Templates = [new XfrmTemplate { RequestId = (uint)i }],
            }, Ct);
        }

        var dumped = await client.ListPoliciesAsync(Ct);
        Assert.Equal(600, dumped.Count);
        Assert.Equal(Enumerable.Range(0, 600).Select(i => (uint)i), dumped.Select(p => p.Templates[0].RequestId).Order());
        Assert.Equal(600, ns.XfrmPolicies().Count);
    }
}
