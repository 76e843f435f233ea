using CbbToolkit.Kestrel.Verification;
using Xunit;

namespace CbbToolkit.Kestrel.Tests.Verification;

public sealed class PeerIdPatternTests
{
    [Theory]
    [InlineData("b.test", "b.test", true)]
    [InlineData("b.test", "B.test", false)]
    [InlineData("*.svc.example", "api.svc.example", true)]
    [InlineData("*.svc.example", "svc.example", false)]
    [InlineData("*.svc.example", "api.svc.example.evil", false)]
    [InlineData("CN=*, O=Lab", "CN=client1, O=Lab", true)]
    [InlineData("*", "anything", true)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    public void Matches_OrdinalWithStar(string pattern, string id, bool expected) =>
        Assert.Equal(expected, PeerIdPattern.Matches(pattern, id));
}
