using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Ipsec.Vici.Transport;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Vici;

public sealed class ViciEndpointTests
{
    [Theory]
    [InlineData("", "path is empty")]
    [InlineData("tcp://127.0.0.1:4502", "only unix sockets")]
    [InlineData("unix://", "path is empty")]
    [InlineData("UNIX:///var/run/charon.vici", "only unix sockets")]
    [InlineData("unix:///tmp/\0x", "NUL")]
    public void BadSocketPaths_ArgumentExceptionSayingWhy(string socketPath, string why)
    {
        var e = Assert.Throws<ArgumentException>(() => new ViciClient(socketPath));
        Assert.Equal("socketPath", e.ParamName);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Contains("unix://PATH", e.Message, StringComparison.Ordinal);

        var fromPeerSource = Assert.Throws<ArgumentException>(() => new ViciPeerSource(socketPath));
        Assert.Equal(e.Message, fromPeerSource.Message);
    }

    [Fact]
    public void TooLongPath_ArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => new ViciClient("unix:///" + new string('p', 107)));
        Assert.Contains("107 bytes", e.Message, StringComparison.Ordinal);
        Assert.True(ViciEndpoint.TryParse("unix:///" + new string('p', 106), out _, out _)); // 106 + "/" = 107 bytes: fits
    }

    [Theory]
    [InlineData("/var/run/charon.vici")]
    [InlineData("unix:///var/run/charon.vici")]
    [InlineData("relative/charon.vici")]
    public void PathOrUnixUri_SamePath(string socketPath)
    {
        var expected = socketPath.Replace("unix://", "", StringComparison.Ordinal);
        Assert.Equal(expected, ViciEndpoint.Parse(socketPath).Path);
    }

    [Fact]
    public void DefaultSocketPath_IsCharons()
    {
        Assert.Equal("/var/run/charon.vici", new ViciClientOptions().SocketPath);
        Assert.Equal(ViciClientOptions.DefaultSocketPath, new ViciClientOptions().SocketPath);
    }

    [Fact]
    public async Task NoDaemon_ConnectionRefused()
    {
        await using var client = new ViciClient("unix://" + Path.Combine(Path.GetTempPath(), "cbb-no-daemon-" + Guid.NewGuid().ToString("N")[..8]));
        var e = await Assert.ThrowsAsync<IpsecException>(() => client.GetVersionAsync(TestContext.Current.CancellationToken));
        Assert.Equal(IpsecError.ConnectionRefused, e.Error);
        Assert.Contains("not reachable", e.Message, StringComparison.Ordinal);
    }
}
