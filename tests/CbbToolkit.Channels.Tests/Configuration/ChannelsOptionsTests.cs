using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Xunit;

namespace CbbToolkit.Channels.Tests.Configuration;

/// <summary>The Channels options: each validator rule, binding from IConfiguration, and the check when the exchange is created.</summary>
public sealed class ChannelsOptionsTests
{
    [Fact]
    public void BindingExchangeOptions_DefaultsAndBounds_Valid()
    {
        var validator = new BindingExchangeOptionsValidator();
        Assert.True(validator.Validate(null, new BindingExchangeOptions()).Succeeded);
        Assert.True(validator.Validate(null, new BindingExchangeOptions
        {
            BindingLifetime = TimeSpan.FromSeconds(int.MaxValue),
            ChallengeLifetime = TimeSpan.FromHours(1),
        }).Succeeded);
        Assert.True(validator.Validate(null, new BindingExchangeOptions
        {
            BindingLifetime = TimeSpan.FromSeconds(1),
            ChallengeLifetime = TimeSpan.FromSeconds(1),
        }).Succeeded);
    }

    [Theory]
    [InlineData(0.999)]
    [InlineData(-1)]
    [InlineData(2_147_483_648)]
    public void BindingExchangeOptions_BindingLifetimeOutOfRange(double seconds)
    {
        var value = TimeSpan.FromSeconds(seconds);
        var result = new BindingExchangeOptionsValidator().Validate(null, new BindingExchangeOptions { BindingLifetime = value });
        Assert.Equal($"BindingExchangeOptions.BindingLifetime must be 1 second to 2147483647 seconds (about 68 years; is {value}).", Assert.Single(result.Failures!));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3601)]
    public void BindingExchangeOptions_ChallengeLifetimeOutOfRange(int seconds)
    {
        var value = TimeSpan.FromSeconds(seconds);
        var result = new BindingExchangeOptionsValidator().Validate(null, new BindingExchangeOptions { ChallengeLifetime = value });
        Assert.Equal($"BindingExchangeOptions.ChallengeLifetime must be 1 second to 01:00:00 (is {value}).", Assert.Single(result.Failures!));
    }

    [Fact]
    public void BindingExchange_BadOptions_FailsAtCreationListingEveryProblem()
    {
        var options = new BindingExchangeOptions { BindingLifetime = TimeSpan.Zero, ChallengeLifetime = TimeSpan.Zero };

        var e = Assert.Throws<OptionsValidationException>(() => new BindingExchange(Options.Create(options)));

        Assert.Equal(typeof(BindingExchangeOptions), e.OptionsType);
        Assert.Equal(2, e.Failures.Count());
    }

    [Fact]
    public void BindingExchangeOptions_BindFromConfiguration()
    {
        var options = new BindingExchangeOptions();
        Section(new() { ["BindingLifetime"] = "7.00:00:00", ["ChallengeLifetime"] = "00:00:10", ["RequireBinding"] = "true" }).Bind(options);

        Assert.Equal((TimeSpan.FromDays(7), TimeSpan.FromSeconds(10), true), (options.BindingLifetime, options.ChallengeLifetime, options.RequireBinding));
        Assert.True(new BindingExchangeOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void StoreOptions_BindFromConfiguration()
    {
        var memory = Section(new() { ["MaxBindings"] = "10", ["MaxLifetime"] = "01:00:00" }).Get<InMemoryChannelBindingStoreOptions>()!;
        var distributed = Section(new() { ["KeyPrefix"] = "farm1:", ["MaxLifetime"] = "2.00:00:00" }).Get<DistributedChannelBindingStoreOptions>()!;
        var pins = Section(new() { ["Path"] = "/var/lib/cbb/pins.db", ["BusyTimeout"] = "00:00:02", ["RefreshInterval"] = "00:00:00" }).Get<PinStoreOptions>()!;

        Assert.Equal((10, TimeSpan.FromHours(1)), (memory.MaxBindings, memory.MaxLifetime));
        Assert.Equal(("farm1:", TimeSpan.FromDays(2)), (distributed.KeyPrefix, distributed.MaxLifetime));
        Assert.Equal(("/var/lib/cbb/pins.db", TimeSpan.FromSeconds(2), TimeSpan.Zero), (pins.Path, pins.BusyTimeout, pins.RefreshInterval));
        Assert.True(new InMemoryChannelBindingStoreOptionsValidator().Validate(null, memory).Succeeded);
        Assert.True(new DistributedChannelBindingStoreOptionsValidator().Validate(null, distributed).Succeeded);
        Assert.True(new PinStoreOptionsValidator().Validate(null, pins).Succeeded);
    }

    private static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(p => KeyValuePair.Create("S:" + p.Key, p.Value))).Build().GetSection("S");
}
