using CbbToolkit.Kestrel.Binding;
using Xunit;

namespace CbbToolkit.Kestrel.Tests.Binding;

public sealed class ChannelBindingServerOptionsValidatorTests
{
    [Theory]
    [InlineData(null, 0, true)]
    [InlineData(8080, 86400, true)]
    [InlineData(0, 60, false)]
    [InlineData(65536, 60, false)]
    [InlineData(8080, -1, false)]
    public void Validate_PortAndMaxAge(int? port, int maxAgeSeconds, bool valid)
    {
        var result = new ChannelBindingServerOptionsValidator().Validate(null,
            new ChannelBindingServerOptions { PlaintextPort = port, PlaintextMaxAge = TimeSpan.FromSeconds(maxAgeSeconds) });

        Assert.Equal(valid, result.Succeeded);
    }
}
