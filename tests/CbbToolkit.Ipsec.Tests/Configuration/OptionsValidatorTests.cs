using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Vici;
using Microsoft.Extensions.Options;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Configuration;

/// <summary>Every rule of the IPsec options validators: the defaults pass, each bad value fails alone with a message naming it.</summary>
public sealed class OptionsValidatorTests
{
    [Fact]
    public void Defaults_Valid()
    {
        Assert.True(new ViciClientOptionsValidator().Validate(null, new ViciClientOptions()).Succeeded);
        Assert.True(new IpsecChannelResolverOptionsValidator().Validate(null, new IpsecChannelResolverOptions()).Succeeded);
        Assert.True(new IpsecLatchDatabaseOptionsValidator().Validate(null, new IpsecLatchDatabaseOptions()).Succeeded);
    }

    [Theory]
    [InlineData("", "SocketPath: VICI socket '' is not usable: the socket path is empty")]
    [InlineData("tcp://127.0.0.1:4502", "only unix sockets are supported")]
    [InlineData("/tmp/\0x", "NUL character")]
    [InlineData(null, "no socket path is given")]
    public void Vici_BadSocketPath(string? socketPath, string expected) =>
        AssertFailsWith(new ViciClientOptions { SocketPath = socketPath! }, expected);

    [Theory]
    [InlineData(nameof(ViciClientOptions.ConnectTimeout), 0)]
    [InlineData(nameof(ViciClientOptions.ConnectTimeout), -1)]
    [InlineData(nameof(ViciClientOptions.CommandTimeout), 0)]
    [InlineData(nameof(ViciClientOptions.CommandTimeout), 86_400_001)]
    [InlineData(nameof(ViciClientOptions.ReconnectDelay), 0)]
    [InlineData(nameof(ViciClientOptions.MaxReconnectDelay), 86_400_001)]
    public void Vici_DurationOutOfRange(string setting, long milliseconds)
    {
        var value = TimeSpan.FromMilliseconds(milliseconds);
        var options = new ViciClientOptions();
        typeof(ViciClientOptions).GetProperty(setting)!.SetValue(options, value);
        if (setting == nameof(ViciClientOptions.ReconnectDelay))
        {
            options.MaxReconnectDelay = TimeSpan.FromSeconds(1); // only the rule under test fails
        }

        AssertFailsWith(options, $"ViciClientOptions.{setting} must be positive and at most 1.00:00:00 (is {value}).");
    }

    [Fact]
    public void Vici_MaxReconnectDelayShorterThanFirst()
    {
        var options = new ViciClientOptions { ReconnectDelay = TimeSpan.FromSeconds(3), MaxReconnectDelay = TimeSpan.FromSeconds(2) };
        AssertFailsWith(options, "ViciClientOptions.MaxReconnectDelay (00:00:02) must not be shorter than ReconnectDelay (00:00:03).");
    }

    [Fact]
    public void Vici_EveryProblemReported()
    {
        var result = new ViciClientOptionsValidator().Validate(null,
            new ViciClientOptions { SocketPath = "", ConnectTimeout = TimeSpan.Zero, CommandTimeout = TimeSpan.Zero });
        Assert.Equal(3, result.Failures!.Count());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(86_400_001)]
    public void Resolver_PeerLookupTimeoutOutOfRange(long milliseconds)
    {
        var value = TimeSpan.FromMilliseconds(milliseconds);
        var result = new IpsecChannelResolverOptionsValidator().Validate(null, new IpsecChannelResolverOptions { PeerLookupTimeout = value });
        Assert.Equal($"IpsecChannelResolverOptions.PeerLookupTimeout must be positive and at most 1.00:00:00 (is {value}).", Assert.Single(result.Failures!));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Latch_AttemptsOutOfRange(int attempts) =>
        AssertFailsWith(new IpsecLatchDatabaseOptions { PeerVerificationAttempts = attempts },
            $"IpsecLatchDatabaseOptions.PeerVerificationAttempts must be 1 to 100 (is {attempts}).");

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void Latch_RetryDelayOutOfRange(int milliseconds) =>
        AssertFailsWith(new IpsecLatchDatabaseOptions { PeerVerificationRetryDelay = TimeSpan.FromMilliseconds(milliseconds) },
            $"IpsecLatchDatabaseOptions.PeerVerificationRetryDelay must be zero to 00:00:10 (is {TimeSpan.FromMilliseconds(milliseconds)}).");

    [Theory]
    [InlineData(-1)]
    [InlineData(5001)]
    public void Latch_GraceOutOfRange(int milliseconds) =>
        AssertFailsWith(new IpsecLatchDatabaseOptions { RekeyGracePeriod = TimeSpan.FromMilliseconds(milliseconds) },
            $"IpsecLatchDatabaseOptions.RekeyGracePeriod must be zero to 00:00:05 (is {TimeSpan.FromMilliseconds(milliseconds)})");

    [Theory]
    [InlineData(1, 0, 0)]
    [InlineData(100, 10_000, 5000)]
    public void Latch_Bounds_Valid(int attempts, int delayMs, int graceMs) =>
        Assert.True(new IpsecLatchDatabaseOptionsValidator().Validate(null, new IpsecLatchDatabaseOptions
        {
            PeerVerificationAttempts = attempts,
            PeerVerificationRetryDelay = TimeSpan.FromMilliseconds(delayMs),
            RekeyGracePeriod = TimeSpan.FromMilliseconds(graceMs),
        }).Succeeded);

    [Fact]
    public void Validators_NullOptions_ArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => new ViciClientOptionsValidator().Validate(null, null!));
        Assert.Throws<ArgumentNullException>(() => new IpsecChannelResolverOptionsValidator().Validate(null, null!));
        Assert.Throws<ArgumentNullException>(() => new IpsecLatchDatabaseOptionsValidator().Validate(null, null!));
    }

    private static void AssertFailsWith(ViciClientOptions options, string expected) =>
        AssertSingleFailure(new ViciClientOptionsValidator().Validate(null, options), expected);

    private static void AssertFailsWith(IpsecLatchDatabaseOptions options, string expected) =>
        AssertSingleFailure(new IpsecLatchDatabaseOptionsValidator().Validate(null, options), expected);

    private static void AssertSingleFailure(ValidateOptionsResult result, string expected)
    {
        Assert.True(result.Failed);
        Assert.Contains(expected, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }
}
