using System.Net;
using System.Security.Cryptography;
using CbbToolkit.Yarp.Headers;
using CbbToolkit.Yarp.Identity;
using CbbToolkit.Yarp.Tests.TestSupport;
using Xunit;

namespace CbbToolkit.Yarp.Tests.Identity;

/// <summary>Real YARP on Kestrel in front of a real Kestrel backend on loopback: what identity reaches the backend.</summary>
public sealed class IdentityForwardingTests
{
    // What a client would forge: ours, RFC 9440's, Envoy's, nginx's; odd casing and repeated lines included.
    private static readonly (string, string)[] s_forged =
    [
        ("CBB-Identity", "ike-id=\"admin\", ike-auth=pkix-trusted"),
        ("cbb-identity", "principal=\"root\""),
        ("Client-Cert", ":TUFMTE9SWQ==:"),
        ("Client-Cert-Chain", ":TUFMTE9SWQ==:"),
        ("X-Forwarded-Client-Cert", "By=spiffe://x;Hash=00;Subject=\"CN=admin\""),
        ("X-SSL-Client-Cert", "-----BEGIN CERTIFICATE-----"),
    ];

    private static readonly string[] s_identityHeaders = ["cbb-identity", "client-cert", "client-cert-chain", "x-forwarded-client-cert", "x-ssl-client-cert", "x-client-cert", "x-arr-clientcert"];

    [Theory]
    [InlineData("plain", false)]
    [InlineData("set", false)]
    [InlineData("sanitize", false)]
    [InlineData("append", false)]
    [InlineData("plain", true)]
    [InlineData("sanitize", true)]
    public async Task ForgedIdentityHeaders_NeverReachTheBackend(string route, bool verifiedClient)
    {
        await using var pair = await ProxyPair.StartAsync();
        pair.Channel = () => verifiedClient ? TestChannelFeature.Verified("client.example.net") : TestChannelFeature.Clear();

        var (status, headers) = await pair.SendAsync($"/{route}/x", [.. s_forged, ("X-Other", "kept")]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["kept"], headers!["x-other"]); // the backend did get the request and its other headers
        foreach (var name in s_identityHeaders)
        {
            Assert.False(headers.ContainsKey(name), $"{name} reached the backend on route {route}");
        }
    }

    [Theory]
    [InlineData("set")]
    [InlineData("append")] // a verified client that is not a trusted proxy: as Set, its own header dropped
    public async Task VerifiedClient_GetsOneParsableIdentity_FromTheChannelNotFromItsHeaders(string route)
    {
        var key = RandomNumberGenerator.GetBytes(91);
        await using var pair = await ProxyPair.StartAsync(o => o.TrustedUpstreamProxies.Add("proxy-a.example.net"));
        pair.Channel = () => TestChannelFeature.Verified("cn=\"Bob\" \\ o=Example", key);

        var (status, headers) = await pair.SendAsync($"/{route}/x", s_forged);

        Assert.Equal(HttpStatusCode.OK, status);
        var value = Assert.Single(headers!["cbb-identity"]);
        var identity = StructuredDictionaryParser.Parse(value);
        Assert.Equal("cn=\"Bob\" \\ o=Example", identity[IpsecIdentityKeys.IkeId]);
        Assert.Equal(new StructuredToken("pkix-trusted"), identity[IpsecIdentityKeys.IkeAuth]);
        Assert.Equal(SHA256.HashData(key), (byte[])identity[IpsecIdentityKeys.PeerSpkiSha256]);
        Assert.Equal(50L, identity[IpsecIdentityKeys.IpsecProtocol]);
        Assert.Equal(new StructuredToken("transport"), identity[IpsecIdentityKeys.IpsecMode]);
        Assert.Equal(0xc1000001L, identity[IpsecIdentityKeys.SpiIn]);
        Assert.Equal(0xc2000002L, identity[IpsecIdentityKeys.SpiOut]);
        Assert.Equal("aes-gcm-128", identity[IpsecIdentityKeys.IpsecAlgorithms]);
        Assert.Equal(new StructuredToken("established"), identity[IpsecIdentityKeys.Latch]);
        Assert.Equal(false, identity[IpsecIdentityKeys.Tls]);
        Assert.False(identity.ContainsKey(IpsecIdentityKeys.Principal)); // the forged principal="root" is gone
        Assert.False(identity.ContainsKey(IpsecIdentityKeys.Via));
        Assert.StartsWith("ike-id=\"cn=\\\"Bob\\\" \\\\ o=Example\", ike-auth=pkix-trusted, peer-spki-sha256=:", value, StringComparison.Ordinal);
        Assert.False(headers.ContainsKey("client-cert")); // no TLS client certificate on this connection
    }

    [Fact]
    public async Task UnverifiedClient_SetRoute_GetsNoIdentity()
    {
        await using var pair = await ProxyPair.StartAsync();
        var channel = TestChannelFeature.Verified("client.example.net");
        channel.Status = Kestrel.IpsecChannelStatus.NotLatched; // the latch broke: no longer verified
        pair.Channel = () => channel;

        var (_, headers) = await pair.SendAsync("/set/x", s_forged);

        Assert.False(headers!.ContainsKey("cbb-identity"));
    }

    [Fact]
    public async Task TrustedUpstreamProxy_AppendRoute_KeepsItsForwardedIdentity_AndAppendsItsId()
    {
        await using var pair = await ProxyPair.StartAsync(o => o.TrustedUpstreamProxies.Add("proxy-a.example.net"));
        pair.Channel = () => TestChannelFeature.Verified("proxy-a.example.net");

        var (_, headers) = await pair.SendAsync("/append/x",
            ("CBB-Identity", "ike-id=\"alice@example.net\", ike-auth=raw-public-key, tls, via=(\"edge.example.net\")"),
            ("Client-Cert", ":QUxJQ0U=:"),
            ("X-Forwarded-Client-Cert", "Subject=\"CN=admin\""));

        var identity = StructuredDictionaryParser.Parse(Assert.Single(headers!["cbb-identity"]));
        Assert.Equal("alice@example.net", identity[IpsecIdentityKeys.IkeId]);
        Assert.Equal(true, identity[IpsecIdentityKeys.Tls]);
        Assert.Equal(new object[] { "edge.example.net", "proxy-a.example.net" }, (IReadOnlyList<object>)identity[IpsecIdentityKeys.Via]);
        Assert.Equal([":QUxJQ0U=:"], headers["client-cert"]);
        Assert.False(headers.ContainsKey("x-forwarded-client-cert"));
    }

    [Fact]
    public async Task TrustedUpstreamProxy_OtherRoutes_StillSanitized()
    {
        await using var pair = await ProxyPair.StartAsync(o => o.TrustedUpstreamProxies.Add("proxy-a.example.net"));
        pair.Channel = () => TestChannelFeature.Verified("proxy-a.example.net");

        var (_, plain) = await pair.SendAsync("/plain/x", ("CBB-Identity", "ike-id=\"alice\""));
        var (_, set) = await pair.SendAsync("/set/x", ("CBB-Identity", "ike-id=\"alice\""));

        Assert.False(plain!.ContainsKey("cbb-identity"));
        Assert.Equal("proxy-a.example.net", StructuredDictionaryParser.Parse(Assert.Single(set!["cbb-identity"]))[IpsecIdentityKeys.IkeId]);
    }

    [Fact]
    public async Task AdditionalSanitizedHeaders_AreRemovedToo()
    {
        await using var pair = await ProxyPair.StartAsync(o => o.AdditionalSanitizedHeaders.Add("X-Remote-User"));

        var (_, headers) = await pair.SendAsync("/plain/x", ("X-Remote-User", "admin"));

        Assert.False(headers!.ContainsKey("x-remote-user"));
    }
}
