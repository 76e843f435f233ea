using System.Net.Sockets;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Iproute2;
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
        Root.Require("Network namespaces and CAP_NET_ADMIN");
        using var hosts = new TwoHosts();
        using var socket = NetworkNamespace.Run(hosts.A.Namespace, () => new Socket(family, SocketType.Stream, ProtocolType.Tcp));

        SocketPolicyOption.RequireEsp(socket, SocketPolicyOption.DirOut, 23);
        SocketPolicyOption.RequireEsp(socket, SocketPolicyOption.DirIn, 23);

        var policies = IpXfrm.Policies(hosts.A.Namespace);
        Assert.Equal(["socket in", "socket out"], policies.Select(p => p.Direction).Order());
        Assert.All(policies, p =>
        {
            Assert.Equal(new IpXfrmSelector(anySelector, anySelector), p.Selector);
            var template = Assert.Single(p.Templates);
            Assert.Equal(("esp", 23u, "transport", "required"), (template.Protocol, template.RequestId, template.Mode, template.Level));
        });
    }
}
