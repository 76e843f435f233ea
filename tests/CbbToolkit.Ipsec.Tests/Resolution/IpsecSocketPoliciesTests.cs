using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Sockets;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;
using static CbbToolkit.Ipsec.Tests.Resolution.XfrmSets;
using CbbToolkit.Testing.Namespaces;

namespace CbbToolkit.Ipsec.Tests.Resolution;

/// <summary>Socket policies set through the library (real setsockopt in a netns) feed the resolver.</summary>
public sealed class IpsecSocketPoliciesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void SocketWithoutLibraryPolicy_None()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        Assert.Null(IpsecSocketPolicies.FromSocket(socket));
    }

    [Fact]
    public async Task PolicySetOnTheSocket_ResolvesThroughItsTemplates_AndTheKernelListsIt()
    {
        using var ns = ScratchNamespace.Create();
        ns.IpLine("addr add 10.0.0.1/32 dev lo");
        ns.IpLine("addr add 10.0.0.2/32 dev lo");
        using var listener = NetworkNamespace.Run(ns.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        listener.Bind(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 0));
        listener.Listen();
        using var socket = NetworkNamespace.Run(ns.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        socket.Bind(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 0));
        await socket.ConnectAsync(listener.LocalEndPoint!, Ct);
        socket.SetIpsecPolicy(new IpsecPolicy { RequestId = 9 }); // after connect: with no SA, connect would fail with EAGAIN

        var policies = IpsecSocketPolicies.FromSocket(socket);

        Assert.NotNull(policies);
        Assert.Equal(XfrmPolicyDirection.SocketOut, policies.Outbound!.Direction);
        var template = Assert.Single(policies.Outbound.Templates);
        Assert.Equal((XfrmProtocol.Esp, XfrmMode.Transport, 9u), (template.Protocol, template.Mode, template.RequestId));
        Assert.Contains(ns.XfrmPolicies(), p => p.Direction == "socket out"); // the kernel holds it, unattributed

        // The SPD says nothing; the socket's policies point at reqid 9, whose SAs (in memory here) protect the flow.
        var flow = IpsecFlow.FromSocket(socket);
        XfrmState[] states = [Sa("10.0.0.1", "10.0.0.2", 0x900, reqid: 9), Sa("10.0.0.2", "10.0.0.1", 0x901, reqid: 9)];
        var resolver = new IpsecChannelResolver(Cache(states, []));
        var r = await resolver.ResolveAsync(socket, Ct);
        Assert.True(r.IsProtected, r.Message);
        Assert.Equal(flow, r.Flow);
        Assert.Equal(0x901u, r.Channel.Inbound.Spi);
        Assert.Equal(IpsecNotProtectedReason.NoPolicy, resolver.ResolveKernel(flow).Reason);
    }
}
