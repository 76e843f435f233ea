using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Ipsec.Netlink;
using CbbToolkit.Ipsec.Tests.Sockets;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;
using CbbToolkit.Testing.Namespaces;

namespace CbbToolkit.Ipsec.Tests.Xfrm;

/// <summary>Every XFRM netlink request, a dump included, needs CAP_NET_ADMIN: the kernel answers EPERM.</summary>
public sealed class XfrmClientPrivilegeTests
{
    [Fact]
    public async Task Dump_WithoutCapNetAdmin_PermissionDeniedWithCause()
    {
        using var ns = ScratchNamespace.Create();
        using var client = XfrmClient.Open(ns.Name);
        Assert.Empty(await client.ListPoliciesAsync(TestContext.Current.CancellationToken));

        // The request is sent on the thread without the capability (the send completes synchronously there).
        var e = WithoutCapability.Run(WithoutCapability.NetAdmin, () =>
            Assert.Throws<NetlinkException>(() => client.ListPoliciesAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult()));

        Assert.Equal(IpsecError.PermissionDenied, e.Error);
        Assert.Equal(1, e.Errno);
        Assert.Contains("needs CAP_NET_ADMIN in this network namespace", e.Message, StringComparison.Ordinal);
        Assert.Empty(await client.ListPoliciesAsync(TestContext.Current.CancellationToken)); // the client still works afterwards
    }
}
