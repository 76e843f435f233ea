using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Vici;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Vici;

public sealed class ViciEndpointTests
{
    [Theory]
    [InlineData("/var/run/charon.vici", "no scheme")]
    [InlineData("tcp://127.0.0.1:4502", "only unix sockets")]
    [InlineData("unix://", "path is empty")]
    [InlineData("UNIX:///var/run/charon.vici", "only unix sockets")]
    [InlineData("unix:///tmp/\0x", "NUL")]
    public void BadUris_InvalidArgumentSayingWhy(string uri, string why)
    {
        var e = Assert.Throws<IpsecException>(() => new ViciClient(uri));
        Assert.Equal(IpsecError.InvalidArgument, e.Error);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Contains("unix://PATH", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooLongPath_InvalidArgument()
    {
        var e = Assert.Throws<IpsecException>(() => new ViciClient("unix:///" + new string('p', 107)));
        Assert.Contains("107 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultUri_IsCharons()
    {
        Assert.Equal("unix:///var/run/charon.vici", new ViciClientOptions().Uri);
    }

    [Fact]
    public async Task NoDaemon_ConnectionRefused()
    {
        await using var client = new ViciClient("unix://" + Path.Combine(Path.GetTempPath(), "cbb-no-daemon-" + Guid.NewGuid().ToString("N")[..8]));
        var e = await Assert.ThrowsAsync<IpsecException>(() => client.VersionAsync(TestContext.Current.CancellationToken));
        Assert.Equal(IpsecError.ConnectionRefused, e.Error);
        Assert.Contains("not reachable", e.Message, StringComparison.Ordinal);
    }
}
