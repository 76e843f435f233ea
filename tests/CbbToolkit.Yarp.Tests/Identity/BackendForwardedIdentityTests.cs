using CbbToolkit.Yarp.Headers;
using CbbToolkit.Yarp.Identity;
using CbbToolkit.Yarp.Tests.TestSupport;
using Xunit;

namespace CbbToolkit.Yarp.Tests.Identity;

/// <summary>
/// src/Kestrel's UseForwardedIpsecIdentity on the real backend behind the real proxy: identity headers count only from
/// a known proxy over a verified channel, whoever sends them.
/// </summary>
public sealed class BackendForwardedIdentityTests
{
    [Fact]
    public async Task KnownProxyOverVerifiedChannel_IdentityAccepted()
    {
        await using var pair = await ProxyPair.StartAsync(backendForwarding: o => o.KnownProxies.Add("proxy-*.example.net"));
        pair.Channel = () => TestChannelFeature.Verified("alice.example.net");
        pair.BackendChannel = () => TestChannelFeature.Verified("proxy-1.example.net");

        var (_, headers) = await pair.SendAsync("/set/x");

        Assert.Equal(["proxy-1.example.net"], headers!["x-test-forwarded-by"]);
        Assert.Equal("alice.example.net", StructuredDictionaryParser.Parse(Assert.Single(headers["cbb-identity"]))[IpsecIdentityKeys.IkeId]);
    }

    [Theory]
    [InlineData("proxy-1.example.net", false)] // the known proxy, but its channel is not verified (latch broken)
    [InlineData("mallory.example.net", true)]  // verified, but not a known proxy
    [InlineData(null, false)]                  // no channel at all
    public async Task AnyoneElse_IdentityHeadersStripped(string? peer, bool verified)
    {
        await using var pair = await ProxyPair.StartAsync(backendForwarding: o => o.KnownProxies.Add("proxy-*.example.net"));
        pair.Channel = () => TestChannelFeature.Verified("alice.example.net");
        pair.BackendChannel = () =>
        {
            if (peer is null)
            {
                return null;
            }

            var channel = TestChannelFeature.Verified(peer);
            channel.Status = verified ? Kestrel.IpsecChannelStatus.Verified : Kestrel.IpsecChannelStatus.NotLatched;
            return channel;
        };

        var (_, headers) = await pair.SendAsync("/set/x");

        Assert.False(headers!.ContainsKey("cbb-identity"));
        Assert.False(headers.ContainsKey("x-test-forwarded-by"));
    }

    [Fact]
    public async Task DirectClient_ForgedHeaders_Stripped_EvenWhenVerified()
    {
        await using var backend = await ProxyPair.StartAsync(backendForwarding: o => o.KnownProxies.Add("proxy-*.example.net"));
        backend.BackendChannel = () => TestChannelFeature.Verified("alice.example.net");
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(backend.Backend.Address, "/direct"));
        request.Headers.TryAddWithoutValidation("CBB-Identity", "ike-id=\"admin\"");
        request.Headers.TryAddWithoutValidation("Client-Cert", ":QQ==:");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain("cbb-identity", body, StringComparison.Ordinal);
        Assert.DoesNotContain("client-cert", body, StringComparison.Ordinal);
    }
}
