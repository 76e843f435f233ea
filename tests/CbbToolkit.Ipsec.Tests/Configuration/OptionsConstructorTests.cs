using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Ipsec.Xfrm;
using Microsoft.Extensions.Options;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Configuration;

/// <summary>The types that take options check them when created (every problem in one message) and keep a copy.</summary>
public sealed class OptionsConstructorTests : IAsyncDisposable
{
    private readonly XfrmStateCache _cache = XfrmStateCache.FromDump([], []);

    public ValueTask DisposeAsync() => _cache.DisposeAsync();

    [Fact]
    public void ViciClient_BadOptions_FailsAtConstructionListingEveryProblem()
    {
        var options = new ViciClientOptions { SocketPath = "tcp://x", CommandTimeout = TimeSpan.Zero };

        var e = Assert.Throws<OptionsValidationException>(() => new ViciClient(options));
        var fromDi = Assert.Throws<OptionsValidationException>(() => new ViciClient(Options.Create(options)));

        Assert.Equal(typeof(ViciClientOptions), e.OptionsType);
        Assert.Equal(2, e.Failures.Count());
        Assert.Contains("SocketPath", e.Message, StringComparison.Ordinal);
        Assert.Contains("CommandTimeout must be positive", e.Message, StringComparison.Ordinal);
        Assert.Equal(e.Message, fromDi.Message);
    }

    [Fact]
    public async Task ViciClient_KeepsACopy()
    {
        var options = new ViciClientOptions { SocketPath = "/run/a.vici", CommandTimeout = TimeSpan.FromSeconds(7) };
        await using var client = new ViciClient(options);

        options.SocketPath = "";
        options.CommandTimeout = TimeSpan.Zero;

        Assert.Equal(("/run/a.vici", TimeSpan.FromSeconds(7)), (client.Options.SocketPath, client.Options.CommandTimeout));
        Assert.NotSame(options, client.Options);
    }

    [Fact]
    public void Resolver_BadOptions_FailsAtConstruction()
    {
        var options = new IpsecChannelResolverOptions { PeerLookupTimeout = TimeSpan.Zero };

        var e = Assert.Throws<OptionsValidationException>(() => new IpsecChannelResolver(_cache, null, options));
        Assert.Throws<OptionsValidationException>(() => new IpsecChannelResolver(_cache, null, Options.Create(options)));

        Assert.Contains("PeerLookupTimeout must be positive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolver_KeepsACopy()
    {
        var options = new IpsecChannelResolverOptions { RequirePeer = true };
        var resolver = new IpsecChannelResolver(_cache, null, options);

        options.RequirePeer = false;
        options.PeerLookupTimeout = TimeSpan.Zero;

        Assert.True(resolver.Options.RequirePeer);
        Assert.Equal(TimeSpan.FromSeconds(5), resolver.Options.PeerLookupTimeout);
    }

    [Fact]
    public async Task LatchDatabase_BadOptions_FailsAtConstructionListingEveryProblem()
    {
        var resolver = new IpsecChannelResolver(_cache);
        var options = new IpsecLatchDatabaseOptions { PeerVerificationAttempts = 0, RekeyGracePeriod = TimeSpan.FromSeconds(6) };

        var e = Assert.Throws<OptionsValidationException>(() => new IpsecLatchDatabase(resolver, options));
        Assert.Throws<OptionsValidationException>(() => new IpsecLatchDatabase(resolver, Options.Create(options)));

        Assert.Equal(2, e.Failures.Count());
        await using var valid = new IpsecLatchDatabase(resolver, Options.Create(new IpsecLatchDatabaseOptions()));
        Assert.Equal(0, valid.Count);
    }

    [Fact]
    public void NullIOptions_ArgumentNull()
    {
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new ViciClient((IOptions<ViciClientOptions>)null!)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() =>
            new IpsecChannelResolver(_cache, null, (IOptions<IpsecChannelResolverOptions>)null!)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() =>
            new IpsecLatchDatabase(new IpsecChannelResolver(_cache), (IOptions<IpsecLatchDatabaseOptions>)null!)).ParamName);
    }
}
