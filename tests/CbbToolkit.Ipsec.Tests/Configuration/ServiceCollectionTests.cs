using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Tests.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Ipsec.Xfrm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Configuration;

/// <summary>The DI registrations resolve each service with its bound, validated options, once, and dispose it with the container.</summary>
public sealed class ServiceCollectionTests
{
    [Fact]
    public async Task AddViciPeerSource_ClientFromConfigurationThenCode()
    {
        var configuration = OptionsBindingTests.Configuration("Vici", new() { ["SocketPath"] = "/run/test.vici", ["CommandTimeout"] = "00:00:03" });
        var services = new ServiceCollection();
        services.Configure<ViciClientOptions>(configuration.GetSection("Vici"));
        services.AddViciPeerSource(o => o.ConnectTimeout = TimeSpan.FromSeconds(1));

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var client = provider.GetRequiredService<ViciClient>();
        var source = provider.GetRequiredService<ViciPeerSource>();

        Assert.Equal(("/run/test.vici", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1)),
            (client.Options.SocketPath, client.Options.CommandTimeout, client.Options.ConnectTimeout));
        Assert.Same(source, provider.GetRequiredService<IIpsecPeerSource>());
        Assert.Same(client, provider.GetRequiredService<ViciClient>());
    }

    [Fact]
    public async Task AddViciClient_BadConfiguration_FailsOnFirstResolveWithEveryProblem()
    {
        var configuration = OptionsBindingTests.Configuration("Vici", new() { ["SocketPath"] = "tcp://h:1", ["ReconnectDelay"] = "00:00:00" });
        var services = new ServiceCollection();
        services.Configure<ViciClientOptions>(configuration.GetSection("Vici"));
        services.AddViciClient();
        await using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ViciClient>());

        Assert.Equal(2, e.Failures.Count());
        Assert.Contains("only unix sockets are supported", e.Message, StringComparison.Ordinal);
        Assert.Contains("ReconnectDelay must be positive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddIpsecLatchDatabase_ResolverAndDatabaseFromRegisteredCacheAndPeerSource()
    {
        var time = new FakeTimeProvider();
        var cache = XfrmStateCache.FromDump([], []);
        var services = new ServiceCollection();
        services.AddSingleton(cache);
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IIpsecPeerSource>(new FakePeerSource());
        services.AddIpsecChannelResolver(o => o.RequirePeer = true);
        services.AddIpsecLatchDatabase(o => o.RekeyGracePeriod = TimeSpan.FromSeconds(2));

        IpsecLatchDatabase latches;
        await using (var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }))
        {
            var resolver = provider.GetRequiredService<IpsecChannelResolver>();
            latches = provider.GetRequiredService<IpsecLatchDatabase>();

            Assert.Same(cache, resolver.Cache);
            Assert.IsType<FakePeerSource>(resolver.PeerSource);
            Assert.True(resolver.Options.RequirePeer);
            Assert.Equal(TimeSpan.FromSeconds(2), provider.GetRequiredService<IOptions<IpsecLatchDatabaseOptions>>().Value.RekeyGracePeriod);
            Assert.False(latches.IsStarted); // resolving starts nothing
            await latches.StartAsync(TestContext.Current.CancellationToken);
            Assert.True(latches.IsStarted);
        }

        // The container disposed the database: it takes no more latches.
        Assert.Throws<ObjectDisposedException>(() => latches.CreateListenerLatch(new System.Net.IPEndPoint(System.Net.IPAddress.Any, 443), System.Net.Sockets.ProtocolType.Tcp));
        await cache.DisposeAsync();
    }

    [Fact]
    public async Task AddIpsecLatchDatabase_BadGrace_FailsOnFirstResolve()
    {
        await using var cache = XfrmStateCache.FromDump([], []);
        var services = new ServiceCollection();
        services.AddSingleton(cache);
        services.AddIpsecLatchDatabase(o => o.RekeyGracePeriod = TimeSpan.FromSeconds(10));
        await using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IpsecLatchDatabase>());

        Assert.Contains("RekeyGracePeriod must be zero to 00:00:05 (is 00:00:10)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegistrationsAreIdempotent()
    {
        var services = new ServiceCollection();
        services.AddViciPeerSource().AddViciPeerSource().AddIpsecLatchDatabase().AddIpsecLatchDatabase();

        Assert.Single(services, d => d.ServiceType == typeof(ViciClient));
        Assert.Single(services, d => d.ServiceType == typeof(IpsecChannelResolver));
        Assert.Single(services, d => d.ServiceType == typeof(IpsecLatchDatabase));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ViciClientOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<IpsecLatchDatabaseOptions>));
    }
}
