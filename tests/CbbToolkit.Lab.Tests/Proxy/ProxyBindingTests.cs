using System.Net;
using System.Net.Security;
using System.Net.Sockets;
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
/// A client bound through samples/CbbProxy (<see cref="ProxyChainLab"/>, real ESP on both hops): first contact over TLS
/// with alice's certificate at the proxy, then the proxy's plaintext endpoint with no TLS and no certificate, the
/// handler of src/HttpClient on the client end; the backend names alice from what the proxy forwards.
/// </summary>
[Collection(ProxyChainLab.Collection)]
public sealed class ProxyBindingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BoundClient_FirstContactOverTlsAtTheProxy_ThenPlaintextWithoutCredentials_BackendNamesTheBoundPrincipal()
    {
        KernelEsp.Require();
        CharonLab.Require();
        // The proxy does not take the client's IKE peer as a principal: IKE authenticates the machine, alice's certificate the user.
        await using var lab = await ProxyChainLab.StartAsync("--IpsecChannels:TrustedPeerIds:0=*.trusted.example");
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
                RemoteCertificateValidationCallback = (_, c, _, _) => lab.Certificates.IsServer(c),
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
        Assert.Contains("tls=?0", identity, StringComparison.Ordinal);
        Assert.DoesNotContain("ike-id", identity, StringComparison.Ordinal); // protected and latched, but not a trusted peer
    }

    private static async Task<(JsonElement WhoAmI, IpsecExchangeInfo Exchange)> GetAsync(HttpClient http, Uri uri, ProxyChainLab lab)
    {
        using var response = await http.GetAsync(uri, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}\n{lab.Log()}");
        var exchange = response.GetIpsecExchange() ?? throw new Xunit.Sdk.XunitException("the handler set no IpsecExchangeInfo");
        return (JsonDocument.Parse(body).RootElement.Clone(), exchange);
    }
}
