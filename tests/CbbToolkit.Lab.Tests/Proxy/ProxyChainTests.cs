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
public sealed class ProxyChainTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IkeClient_ThroughProxy_BackendNamesTheClientFromTheProxy_ForgedIdentityNeverArrives_UnprotectedRefused()
    {
        RequireLab();
        await using var lab = await ProxyChainLab.StartAsync();
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
        await using var lab = await ProxyChainLab.StartAsync();
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

    [Fact]
    public async Task BoundClient_FirstContactOverTlsAtTheProxy_ThenPlaintextWithoutCredentials_BackendNamesTheBoundPrincipal()
    {
        RequireLab();
        await using var lab = await ProxyChainLab.StartAsync();
        // The client end as an app would have it: its charon's VICI, its kernel's SAs and latches, a pin store, alice's certificate.
        await using var peers = new ViciPeerSource(Path.Combine(lab.Work, "client", "charon.vici"));
        await using var cache = await XfrmStateCache.StartAsync(ProxyChainLab.ClientNamespace, cancellationToken: Ct);
        await using var latches = new IpsecLatchDatabase(new IpsecChannelResolver(cache, peers));
        using var pins = new SqlitePinStore(Options.Create(new PinStoreOptions { Path = Path.Combine(lab.Work, "pins.db") }));
        using var alice = lab.Certificates.Alice();
        using var http = new HttpClient(IpsecChannelHandlerFactory.Create(o =>
        {
            o.NetworkNamespace = ProxyChainLab.ClientNamespace; // where the SA keys are read
            o.SocketFactory = family => NetworkNamespace.Run(ProxyChainLab.ClientNamespace, () => new Socket(family, SocketType.Stream, ProtocolType.Tcp));
            o.Requirement = IpsecChannelRequirement.RequireVerified;
            o.PeerSource = peers;
            o.Latches = latches;
            o.Pins = pins;
            o.UseBinding = true;
            o.AllowLeapOfFaith = true;
            o.Tls = new SslClientAuthenticationOptions
            {
                TargetHost = "server.test",
                RemoteCertificateValidationCallback = (_, c, _, _) =>
                    c is not null && Convert.ToHexStringLower(SHA256.HashData(c.GetRawCertData())) == lab.Certificates.ServerSha256,
                ClientCertificates = new X509CertificateCollection { alice },
            };
        }));
        var whoami = new Uri(ProxyChainLab.Tls, "/whoami");

        var (first, firstExchange) = await GetAsync(http, whoami, lab);
        var (second, secondExchange) = await GetAsync(http, whoami, lab);

        // First contact: TLS with alice's certificate to the proxy, which binds it to the client's IPsec channel.
        Assert.Equal((IpsecBindingState.Created, true, true), (firstExchange.Binding, firstExchange.UsedTls, firstExchange.ClientCertificateSent));
        Assert.Equal(alice.Subject, first.GetProperty("forwarded").GetProperty("clientCertificate").GetString());
        // Later: the proxy's plaintext endpoint, no TLS, no certificate; the proxy knows alice by the binding and says so.
        Assert.True((IpsecBindingState.Used, false, false) == (secondExchange.Binding, secondExchange.UsedTls, secondExchange.CredentialsSent),
            $"{secondExchange} ({secondExchange.BindingReason}, fallback {secondExchange.Fallback})\n{lab.Log()}");
        Assert.Equal(ProxyChainLab.Plaintext.Port, secondExchange.UsedUri.Port);
        var identity = second.GetProperty("forwarded").GetProperty("identity").GetString()!;
        Assert.Contains("binding=used", identity, StringComparison.Ordinal);
        Assert.Contains("principal=\"alice\"", identity, StringComparison.Ordinal);
        Assert.Contains("ike-id=\"client.test\"", identity, StringComparison.Ordinal);
        Assert.Contains("tls=?0", identity, StringComparison.Ordinal);
    }

    private static async Task<(JsonElement WhoAmI, IpsecExchangeInfo Exchange)> GetAsync(HttpClient http, Uri uri, ProxyChainLab lab)
    {
        using var response = await http.GetAsync(uri, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}\n{lab.Log()}");
        var exchange = response.GetIpsecExchange() ?? throw new Xunit.Sdk.XunitException("the handler set no IpsecExchangeInfo");
        return (JsonDocument.Parse(body).RootElement.Clone(), exchange);
    }

    private static void RequireLab()
    {
        KernelEsp.Require();
        CharonLab.Require();
    }
}
