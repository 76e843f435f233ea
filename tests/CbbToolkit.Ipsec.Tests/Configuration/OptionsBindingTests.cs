using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Vici;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Configuration;

/// <summary>The options bind from IConfiguration (appsettings.json, environment variables, ...) with the names users see in docs.</summary>
public sealed class OptionsBindingTests
{
    [Fact]
    public void ViciClientOptions_BindEverySetting()
    {
        var options = Bind<ViciClientOptions>(new()
        {
            ["SocketPath"] = "unix:///run/strongswan/charon.vici",
            ["ConnectTimeout"] = "00:00:02",
            ["CommandTimeout"] = "00:01:00",
            ["ReconnectDelay"] = "00:00:00.250",
            ["MaxReconnectDelay"] = "00:00:10",
        });

        Assert.Equal(("unix:///run/strongswan/charon.vici", TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10)),
            (options.SocketPath, options.ConnectTimeout, options.CommandTimeout, options.ReconnectDelay, options.MaxReconnectDelay));
        Assert.True(new ViciClientOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void IpsecChannelResolverOptions_BindEverySettingButTheDelegate()
    {
        var options = Bind<IpsecChannelResolverOptions>(new() { ["PeerLookupTimeout"] = "00:00:01.5", ["RequirePeer"] = "true" });

        Assert.Equal((TimeSpan.FromMilliseconds(1500), true), (options.PeerLookupTimeout, options.RequirePeer));
        Assert.Null(options.SocketPolicies);
    }

    [Fact]
    public void IpsecLatchDatabaseOptions_BindEverySetting()
    {
        var options = Bind<IpsecLatchDatabaseOptions>(new()
        {
            ["PeerVerificationAttempts"] = "3",
            ["PeerVerificationRetryDelay"] = "00:00:00.050",
            ["RekeyGracePeriod"] = "00:00:01",
        });

        Assert.Equal((3, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1)),
            (options.PeerVerificationAttempts, options.PeerVerificationRetryDelay, options.RekeyGracePeriod));
    }

    [Fact]
    public void MissingKeys_KeepTheDocumentedDefaults()
    {
        var vici = Bind<ViciClientOptions>(new() { ["CommandTimeout"] = "00:00:09" });
        var latch = Bind<IpsecLatchDatabaseOptions>(new() { ["RekeyGracePeriod"] = "00:00:00" });

        Assert.Equal((ViciClientOptions.DefaultSocketPath, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(9)), (vici.SocketPath, vici.ConnectTimeout, vici.CommandTimeout));
        Assert.Equal((5, TimeSpan.FromMilliseconds(200), TimeSpan.Zero), (latch.PeerVerificationAttempts, latch.PeerVerificationRetryDelay, latch.RekeyGracePeriod));
    }

    [Fact]
    public void UnparsableValue_BinderSaysWhich()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Bind<IpsecLatchDatabaseOptions>(new() { ["RekeyGracePeriod"] = "half a second" }));
        Assert.Contains("RekeyGracePeriod", e.Message, StringComparison.Ordinal);
    }

    internal static IConfiguration Configuration(string section, Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(p => KeyValuePair.Create($"{section}:{p.Key}", p.Value))).Build();

    private static T Bind<T>(Dictionary<string, string?> values)
        where T : class, new()
    {
        var options = new T();
        Configuration("Section", values).GetSection("Section").Bind(options);
        return options;
    }
}
