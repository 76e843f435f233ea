using System.Net.Http.Json;
using CbbToolkit.Http.Tests.Support;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Testing.Namespaces;
using Microsoft.Extensions.DependencyInjection;

using Xunit;

namespace CbbToolkit.Http.Tests.Handler;

// The handler against a real Kestrel on loopback in a scratch namespace. Loopback has no IPsec, so these cover the
// clear-text outcomes: allowed and reported, or refused with the reason and the flow.
public sealed class IpsecChannelHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AllowClear_PlainHttp_ReachesServerAndReportsTheUnprotectedFlow()
    {
        using var ns = ScratchNamespace.Create("cbbh-");
        await using var server = await NamespacedKestrel.StartAsync(ns, cancellationToken: Ct);
        using var client = new HttpClient(IpsecChannelHandlerFactory.Create(o => o.SocketFactory = server.SocketFactory)) { BaseAddress = server.BaseUri };

        using var response = await client.GetAsync("whoami", Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var info = response.GetIpsecConnection();
        Assert.NotNull(info);
        Assert.False(info.IsProtected);
        Assert.False(info.IsVerified);
        Assert.False(info.IsTls);
        Assert.Null(info.IpsecChannelInfo);
        Assert.Equal(server.BaseUri.Port, info.Flow.Remote.Port);
        Assert.NotEqual(IpsecNotProtectedReason.None, info.Resolution.Reason);
        var whoami = await response.Content.ReadFromJsonAsync<WhoAmI>(Ct);
        Assert.False(whoami!.Tls);
    }

    [Fact]
    public async Task RequireProtected_ClearLoopback_RefusedWithReasonAndFlowAndNoRequestSent()
    {
        using var ns = ScratchNamespace.Create("cbbh-");
        await using var server = await NamespacedKestrel.StartAsync(ns, cancellationToken: Ct);
        using var client = new HttpClient(IpsecChannelHandlerFactory.Create(o =>
        {
            o.SocketFactory = server.SocketFactory;
            o.Requirement = IpsecChannelRequirement.RequireProtected;
        }))
        { BaseAddress = server.BaseUri };

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("whoami", Ct));

        var refusal = Assert.IsType<IpsecChannelRefusedException>(e.InnerException);
        Assert.Equal(IpsecChannelRefusal.NotProtected, refusal.Reason);
        Assert.NotNull(refusal.Flow);
        Assert.Equal(server.BaseUri.Port, refusal.Flow.Remote.Port);
        Assert.Contains("RequireProtected", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Requests); // refused in ConnectCallback: not one byte of HTTP went out
    }

    [Fact]
    public async Task AddIpsecChannel_NamedClient_UsesTheHandlerWithItsOptions()
    {
        using var ns = ScratchNamespace.Create("cbbh-");
        await using var server = await NamespacedKestrel.StartAsync(ns, cancellationToken: Ct);
        var services = new ServiceCollection();
        services.AddHttpClient("api", c => c.BaseAddress = server.BaseUri).AddIpsecChannel(o =>
        {
            o.SocketFactory = server.SocketFactory;
            o.Requirement = IpsecChannelRequirement.RequireProtected;
        });
        services.AddHttpClient("open", c => c.BaseAddress = server.BaseUri).AddIpsecChannel(o => o.SocketFactory = server.SocketFactory);
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => factory.CreateClient("api").GetAsync("whoami", Ct));
        using var open = await factory.CreateClient("open").GetAsync("whoami", Ct);

        Assert.Equal(IpsecChannelRefusal.NotProtected, Assert.IsType<IpsecChannelRefusedException>(e.InnerException).Reason);
        Assert.Equal(System.Net.HttpStatusCode.OK, open.StatusCode);
        Assert.False(open.GetIpsecConnection()!.IsProtected);
    }

    [Fact]
    public async Task PerSocketPolicy_NoKeyManagement_RefusedAsKeyManagementTimeout()
    {
        using var ns = ScratchNamespace.Create("cbbh-");
        await using var server = await NamespacedKestrel.StartAsync(ns, cancellationToken: Ct);
        using var client = new HttpClient(IpsecChannelHandlerFactory.Create(o =>
        {
            o.SocketFactory = server.SocketFactory;
            o.Policy = IpsecPolicy.Default; // requires ESP; nothing in the namespace negotiates it
            o.KeyManagementTimeout = TimeSpan.FromMilliseconds(300);
        }))
        { BaseAddress = server.BaseUri };

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("whoami", Ct));

        var refusal = Assert.IsType<IpsecChannelRefusedException>(e.InnerException);
        Assert.True(refusal.Reason is IpsecChannelRefusal.KeyManagementTimedOut or IpsecChannelRefusal.PolicyFailed, refusal.ToString());
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task KeepAlive_SecondRequest_ReusesTheConnectionAndCarriesNoConnectionInfo()
    {
        using var ns = ScratchNamespace.Create("cbbh-");
        await using var server = await NamespacedKestrel.StartAsync(ns, cancellationToken: Ct);
        using var client = new HttpClient(IpsecChannelHandlerFactory.Create(o => o.SocketFactory = server.SocketFactory)) { BaseAddress = server.BaseUri };

        using var first = await client.GetAsync("whoami", Ct);
        using var second = await client.GetAsync("whoami", Ct);

        Assert.NotNull(first.GetIpsecConnection());
        Assert.Null(second.GetIpsecConnection()); // the documented limit: pooled requests are not told which connection
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public void RequireVerified_WithoutPeerSource_RejectedWhenBuilt()
    {
        var e = Assert.Throws<ArgumentException>(() => IpsecChannelHandlerFactory.Create(o => o.Requirement = IpsecChannelRequirement.RequireVerified));

        Assert.Contains("PeerSource", e.Message, StringComparison.Ordinal);
    }
}
