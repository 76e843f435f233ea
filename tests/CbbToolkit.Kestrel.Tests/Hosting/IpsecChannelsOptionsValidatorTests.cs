using CbbToolkit.Ipsec;
using Xunit;

namespace CbbToolkit.Kestrel.Tests.Hosting;

public sealed class IpsecChannelsOptionsValidatorTests
{
    private static readonly IpsecChannelsOptionsValidator Validator = new();

    [Fact]
    public void Defaults_Valid() => Assert.True(Validator.Validate(null, new IpsecChannelsOptions()).Succeeded);

    [Fact]
    public void Defaults_TrustNeitherNullNorBtns()
    {
        var o = new IpsecChannelsOptions();

        Assert.DoesNotContain(IpsecAuthenticationMethod.Null, o.TrustedAuthenticationMethods);
        Assert.DoesNotContain(IpsecAuthenticationMethod.Btns, o.TrustedAuthenticationMethods);
        Assert.Contains(IpsecAuthenticationMethod.PkixTrusted, o.TrustedAuthenticationMethods);
    }

    [Fact]
    public void EveryProblem_ReportedAtOnce()
    {
        var o = new IpsecChannelsOptions { StartupTimeout = TimeSpan.Zero, NetworkNamespace = "../x" };
        o.TrustedAuthenticationMethods.Add(IpsecAuthenticationMethod.Null);
        o.TrustedPeerIds.Add(" ");

        var result = Validator.Validate(null, o);

        Assert.False(result.Succeeded);
        Assert.Equal(4, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("channel binding", StringComparison.Ordinal));
    }
}
