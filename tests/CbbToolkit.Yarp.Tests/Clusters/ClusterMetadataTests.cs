using CbbToolkit.Http;
using CbbToolkit.Yarp.Clusters;
using Xunit;

namespace CbbToolkit.Yarp.Tests.Clusters;

public sealed class ClusterMetadataTests
{
    [Fact]
    public void NoCbbKeys_IsAPlainYarpCluster()
    {
        Assert.Null(IpsecClusterMetadata.Parse("c", null));
        Assert.Null(IpsecClusterMetadata.Parse("c", new Dictionary<string, string> { ["Owner"] = "team-a" }));
    }

    [Fact]
    public void AllKeys_ParseIntoTypedOptions()
    {
        var options = IpsecClusterMetadata.Parse("c", new Dictionary<string, string>
        {
            [IpsecClusterMetadata.Require] = "verified",
            [IpsecClusterMetadata.Bind] = "true",
            [IpsecClusterMetadata.Pins] = "/var/lib/cbb/pins.db",
            [IpsecClusterMetadata.LeapOfFaith] = "false",
        });

        Assert.Equal(new IpsecClusterOptions
        {
            Require = IpsecChannelRequirement.RequireVerified,
            Bind = true,
            Plaintext = true,
            Pins = "/var/lib/cbb/pins.db",
        }, options);
        Assert.Equal(IpsecChannelRequirement.RequireProtected, IpsecClusterMetadata.Parse("c", new Dictionary<string, string> { ["Cbb.Require"] = "protected" })!.Require);
        Assert.Equal(IpsecChannelRequirement.AllowClear, IpsecClusterMetadata.Parse("c", new Dictionary<string, string> { ["Cbb.Require"] = "allow-clear" })!.Require);
    }

    [Theory]
    [InlineData("Cbb.Require", "Verified", "Cbb.Require")]             // values are exact: no case folding, no numbers
    [InlineData("Cbb.Require", "2", "Cbb.Require")]
    [InlineData("Cbb.Bind", "yes", "Cbb.Bind")]
    [InlineData("Cbb.Bind", "true", "Cbb.Bind")]                       // binding without Cbb.Pins
    [InlineData("Cbb.Plaintext", "true", "Cbb.Plaintext")]             // plaintext without binding
    [InlineData("Cbb.Pins", " ", "Cbb.Pins")]
    [InlineData("Cbb.Requires", "verified", "Cbb.Requires")]           // a typo is an error, not ignored
    [InlineData("cbb.require", "verified", "cbb.require")]
    public void BadValue_TypedErrorNamingClusterKeyAndValue(string key, string value, string expectedKey)
    {
        var e = Assert.Throws<IpsecClusterConfigurationException>(() => IpsecClusterMetadata.Parse("api", new Dictionary<string, string> { [key] = value }));

        Assert.Equal("api", e.ClusterId);
        Assert.Equal(expectedKey, e.Key);
        Assert.Contains("'api'", e.Message, StringComparison.Ordinal);
        Assert.Contains(expectedKey, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BoundWithPlaintextFalse_RefusedAsUnsupported()
    {
        var e = Assert.Throws<IpsecClusterConfigurationException>(() => IpsecClusterMetadata.Parse("api", new Dictionary<string, string>
        {
            ["Cbb.Bind"] = "true",
            ["Cbb.Pins"] = "/tmp/p.db",
            ["Cbb.Plaintext"] = "false",
        }));

        Assert.Equal(IpsecClusterMetadata.Plaintext, e.Key);
    }
}
