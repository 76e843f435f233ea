using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Http;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Lab.Tests.CbbServer;
using CbbToolkit.Testing.Charon;
using Microsoft.Extensions.Options;
using Xunit;

namespace CbbToolkit.Lab.Tests.Proxy;

/// <summary>
/// client -> samples/CbbProxy -> samples/CbbServer over real ESP on both hops, three charons (<see cref="ProxyChainLab"/>):
/// the backend learns who the client is only from the proxy, over the proxy's own verified channel, and never from
/// anything the client wrote.
/// </summary>
[Collection(ProxyChainLab.Collection)]
public sealed class ProxyChainTests(SharedProxyChainLab shared) : IClassFixture<SharedProxyChainLab>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IkeClient_ThroughProxy_BackendNamesTheClientFromTheProxy_ForgedIdentityNeverArrives_UnprotectedRefused()
    {
        RequireLab();
        var lab = await shared.GetAsync();
        using var client = lab.ClientFrom();
        (string, string)[] forged =
        [
            ("CBB-Identity", "ike-id=\"admin.test\", ike-auth=pkix-trusted"), ("Client-Cert", ":TUFMTE9SWQ==:"),
            ("X-Forwarded-Client-Cert", "Subject=\"CN=admin\""), ("X-Forwarded-User", "admin"),
        ];

        var me = await client.WhoAmIAsync(ProxyChainLab.Plaintext, Ct, forged);

        // The backend's own channel is the proxy's: verified, IKE-authenticated as proxy.test.
        var ipsec = me.GetProperty("ipsec");
        Assert.True(ipsec.GetProperty("verified").GetBoolean(), me.ToString());
        Assert.Equal("proxy.test", ipsec.GetProperty("peerId").GetString());
        // What the proxy verified about the client reached the backend, accepted because it came from proxy.test.
        var forwarded = me.GetProperty("forwarded");
        Assert.Equal("proxy.test", forwarded.GetProperty("proxy").GetString());
        var identity = forwarded.GetProperty("identity").GetString()!;
        Assert.Contains("ike-id=\"client.test\"", identity, StringComparison.Ordinal);
        Assert.Contains("tls=?0", identity, StringComparison.Ordinal);
        Assert.DoesNotContain("admin", identity, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, forwarded.GetProperty("clientCertificate").ValueKind);

        // A client flow no SA covers gets nothing from the proxy: closed before any HTTP byte is read.
        var outcome = await RawHttp.GetAsync(ProxyChainLab.ClientNamespace, ProxyChainLab.Unprotected,
            new IPEndPoint(IPAddress.Parse("10.96.1.2"), 8080), "/whoami", TimeSpan.FromSeconds(10), Ct);
        Assert.True(outcome.Closed, lab.Log());
        Assert.Equal("", outcome.Received);
    }

    [Fact]
    public async Task TlsClientCertificate_AtTheProxy_ReachesTheBackendAsClientCert_AForgedOneDoesNot()
    {
        RequireLab();
        var lab = await shared.GetAsync();
        using var alice = lab.Certificates.Alice();
        using var client = lab.ClientFrom(certificate: alice);

        var me = await client.WhoAmIAsync(ProxyChainLab.Tls, Ct, ("Client-Cert", ":TUFMTE9SWQ==:"));

        var forwarded = me.GetProperty("forwarded");
        Assert.Equal("proxy.test", forwarded.GetProperty("proxy").GetString());
        Assert.Equal(alice.Subject, forwarded.GetProperty("clientCertificate").GetString());
        var identity = forwarded.GetProperty("identity").GetString()!;
        Assert.Matches("(^|, )tls(,|$)", identity); // RFC 8941: a true boolean member is its key alone
        Assert.Contains("ike-id=\"client.test\"", identity, StringComparison.Ordinal);
        // The backend itself saw no TLS and no certificate: the proxy -> backend hop is plaintext over verified ESP.
        Assert.False(me.GetProperty("tls").GetBoolean());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("clientCertificate").ValueKind);
    }

    private static void RequireLab()
    {
        KernelEsp.Require();
        CharonLab.Require();
    }
}
