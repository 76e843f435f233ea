using System.Net;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Cli.Net;
using Xunit;

namespace CbbToolkit.Cli.Tests.Net;

public sealed class HostPortTests
{
    [Theory]
    [InlineData("example.org:443", "example.org", 443)]
    [InlineData("127.0.0.1:8443", "127.0.0.1", 8443)]
    [InlineData("[::1]:8443", "::1", 8443)]
    [InlineData("[fe80::1%2]:1", "fe80::1%2", 1)]
    [InlineData("localhost:65535", "localhost", 65535)]
    public void Valid_Parses(string text, string host, int port)
    {
        var parsed = HostPort.Parse(text, "HOST:PORT");
        Assert.Equal(host, parsed.Host);
        Assert.Equal(port, parsed.Port);
    }

    [Theory]
    [InlineData("example.org", "has no port")]
    [InlineData("::1:443", "put an IPv6 address in brackets")]
    [InlineData("[::1]443", "is not [IPV6]:PORT")]
    [InlineData("[::1", "is not [IPV6]:PORT")]
    [InlineData("[example.org]:443", "is not an IPv6 address")]
    [InlineData(":443", "has no host")]
    [InlineData("host:0", "from 1 to 65535")]
    [InlineData("host:65536", "from 1 to 65535")]
    [InlineData("host:-1", "from 1 to 65535")]
    [InlineData("host:http", "from 1 to 65535")]
    public void Invalid_UsageExceptionSaysWhy(string text, string reason)
    {
        var e = Assert.Throws<UsageException>(() => HostPort.Parse(text, "HOST:PORT"));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PortZero_AllowedOnlyWhenAsked()
    {
        Assert.Equal(0, HostPort.Parse("127.0.0.1:0", "--listen", allowPortZero: true).Port);
        Assert.Throws<UsageException>(() => HostPort.Parse("127.0.0.1:0", "HOST:PORT"));
    }

    [Theory]
    [InlineData("[::1]:8443")]
    [InlineData("127.0.0.1:1")]
    public void Format_RoundTrips(string text)
    {
        Assert.Equal(text, HostPort.Parse(text, "x").ToString());
        Assert.Equal(text, HostPort.Format(IPEndPoint.Parse(text)));
    }

    [Fact]
    public void Format_ShowsMappedIpv4AsIpv4()
    {
        Assert.Equal("127.0.0.1:80", HostPort.Format(new IPEndPoint(IPAddress.Loopback.MapToIPv6(), 80)));
    }
}
