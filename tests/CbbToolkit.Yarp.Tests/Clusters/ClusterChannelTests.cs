using System.Net;
using CbbToolkit.Yarp.Clusters;
using CbbToolkit.Yarp.Tests.TestSupport;
using Xunit;

namespace CbbToolkit.Yarp.Tests.Clusters;

/// <summary>Cbb.* cluster metadata through the real forwarder client to a real backend on loopback (no IPsec there).</summary>
public sealed class ClusterChannelTests
{
    [Fact]
    public async Task RequireProtected_OverClearLoopback_RefusedBeforeAnyByteReachesTheBackend()
    {
        await using var pair = await ProxyPair.StartAsync(extra: (config, backend) => AddCluster(config, backend, "protected-cluster", "protected"));

        var (status, _) = await pair.SendAsync("/protected-cluster/x");

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal(0, pair.BackendRequests);
    }

    [Fact]
    public async Task AllowClear_GoesThroughTheChannelConnector_AndArrives()
    {
        await using var pair = await ProxyPair.StartAsync(extra: (config, backend) => AddCluster(config, backend, "open-cluster", "allow-clear"));

        var (status, headers) = await pair.SendAsync("/open-cluster/x", ("CBB-Identity", "ike-id=\"admin\""));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, pair.BackendRequests);
        Assert.False(headers!.ContainsKey("cbb-identity"));
    }

    [Fact]
    public async Task BadClusterMetadata_ProxyRefusesToStart_WithTheTypedError()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => ProxyPair.StartAsync(extra: (config, backend) => AddCluster(config, backend, "bad", "maybe")));

        var typed = Assert.Single(Flatten(e).OfType<IpsecClusterConfigurationException>());
        Assert.Equal("bad", typed.ClusterId);
        Assert.Equal(IpsecClusterMetadata.Require, typed.Key);
        Assert.Equal("maybe", typed.Value);
    }

    [Fact]
    public async Task BadTransformMode_ProxyRefusesToStart_NamingTheMode()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => ProxyPair.StartAsync(extra: (config, _) => ProxyPair.Route(config, "typo", "backend", "SetAll")));

        Assert.Contains(Flatten(e), x => x is ArgumentException && x.Message.Contains("'SetAll'", StringComparison.Ordinal));
    }

    private static void AddCluster(Dictionary<string, string?> config, Uri backend, string name, string require)
    {
        config[$"ReverseProxy:Clusters:{name}:Destinations:d1:Address"] = backend.ToString();
        config[$"ReverseProxy:Clusters:{name}:Metadata:Cbb.Require"] = require;
        ProxyPair.Route(config, name, name, "Set");
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        yield return e;
        var inner = e is AggregateException a ? a.InnerExceptions : e.InnerException is { } i ? [i] : (IEnumerable<Exception>)[];
        foreach (var x in inner.SelectMany(Flatten))
        {
            yield return x;
        }
    }
}
