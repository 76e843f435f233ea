using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Http;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using Microsoft.Extensions.Options;

// CbbDemo PROXY-TLS-URL CA.pem ALICE.pem ALICE.key VICI-SOCKET WORK-DIR [SECONDS]
// Run in the client namespace of samples/demo/topology.sh (samples/demo/demo.sh does). Exit 0 when every claim it
// prints held, 1 when one did not, 2 usage.
if (args.Length is < 6 or > 7)
{
    Console.Error.WriteLine("usage: CbbDemo PROXY-TLS-URL CA.pem ALICE.pem ALICE.key VICI-SOCKET WORK-DIR [SECONDS]");
    return 2;
}

var proxy = new Uri(args[0]);
var trust = X509CertificateLoader.LoadCertificateFromFile(args[1]);
using var alice = X509Certificate2.CreateFromPemFile(args[2], args[3]);
var seconds = args.Length == 7 ? double.Parse(args[6], CultureInfo.InvariantCulture) : 3;
var failures = new List<string>();
void Claim(bool holds, string what)
{
    Console.WriteLine($"  [{(holds ? "ok" : "FAILED")}] {what}");
    if (!holds)
    {
        failures.Add(what);
    }
}

SslClientAuthenticationOptions Tls(bool withCertificate) => new()
{
    TargetHost = "server.test",
    CertificateChainPolicy = new X509ChainPolicy
    {
        TrustMode = X509ChainTrustMode.CustomRootTrust,
        CustomTrustStore = { trust },
        RevocationMode = X509RevocationMode.NoCheck,
    },
    LocalCertificateSelectionCallback = withCertificate ? (_, _, _, _, _) => alice : null,
};

// The client end of an app: its charon (VICI), its kernel's SAs and latches, a pin store, alice's certificate.
await using var peers = new ViciPeerSource(args[4]);
await using var cache = await XfrmStateCache.StartAsync();
await using var latches = new IpsecLatchDatabase(new IpsecChannelResolver(cache, peers));
using var pins = new SqlitePinStore(Options.Create(new PinStoreOptions { Path = Path.Combine(args[5], "demo-pins.db") }));
using var bound = new HttpClient(IpsecChannelHandlerFactory.Create(o =>
{
    o.Requirement = IpsecChannelRequirement.RequireVerified;
    o.PeerSource = peers;
    o.Latches = latches;
    o.Pins = pins;
    o.UseBinding = true;
    o.AllowLeapOfFaith = true;
    o.Tls = Tls(withCertificate: true);
}));
var whoami = new Uri(proxy, "/whoami");

Console.WriteLine("client -> proxy -> backend, per request (the backend's view is what the proxy forwarded over its own ESP hop):");
Console.WriteLine($"  {"#",-2} {"url used",-28} {"TLS",-4} {"creds",-5} {"binding",-8} {"pin",-8} {"client->proxy SA (out/in)",-24} {"proxy's IKE peer",-16} backend sees");
for (var i = 1; i <= 3; i++)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, whoami);
    // A forged identity: the proxy must never forward it.
    request.Headers.TryAddWithoutValidation("CBB-Identity", "ike-id=\"admin.test\", principal=\"admin\"");
    using var response = await bound.SendAsync(request);
    var body = await response.Content.ReadAsStringAsync();
    var exchange = response.GetIpsecExchange()!;
    var channel = exchange.Connection?.Resolution.Channel;
    var forwarded = response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.GetProperty("forwarded") : default;
    var identity = forwarded.ValueKind == JsonValueKind.Object ? forwarded.GetProperty("identity").GetString() ?? "" : "";
    var principal = System.Text.RegularExpressions.Regex.Match(identity, "principal=\"([^\"]*)\"").Groups[1].Value;
    var certificate = forwarded.ValueKind == JsonValueKind.Object ? forwarded.GetProperty("clientCertificate").GetString() : null;
    var sees = certificate is not null ? $"certificate {certificate}" : principal.Length > 0 ? $"bound principal {principal}" : "nobody";
    Console.WriteLine($"  {i,-2} {exchange.UsedUri.GetLeftPart(UriPartial.Authority),-28} {(exchange.UsedTls ? "yes" : "no"),-4} {(exchange.CredentialsSent ? "yes" : "no"),-5} " +
        $"{exchange.Binding.ToString().ToLowerInvariant(),-8} {exchange.Pin.ToString().ToLowerInvariant(),-8} " +
        $"{(channel is null ? "none" : $"0x{channel.Outbound.Spi:x8}/0x{channel.Inbound.Spi:x8}"),-24} {channel?.Peer?.RemoteId ?? "?",-16} {sees}");
    Claim(response.IsSuccessStatusCode, $"request {i} answered ({(int)response.StatusCode})");
    Claim(channel is not null && exchange.Connection!.IsVerified, $"request {i} went over a verified IPsec channel to proxy.test");
    Claim(!identity.Contains("admin", StringComparison.Ordinal), $"request {i}: the forged CBB-Identity never reached the backend");
    if (i == 1)
    {
        Claim(exchange.UsedTls && exchange.ClientCertificateSent && exchange.Binding == IpsecBindingState.Created,
            "first contact: TLS with alice's certificate, binding created");
        Claim(certificate == alice.Subject, "the backend got alice's certificate (RFC 9440 Client-Cert) from the proxy");
    }
    else
    {
        Claim(!exchange.UsedTls && !exchange.CredentialsSent && exchange.Binding == IpsecBindingState.Used,
            $"request {i}: plaintext, no credentials, the binding proven");
        Claim(principal == "alice", $"request {i}: the backend knows alice through the binding");
    }
}

// New connections per second: TLS with the certificate (each request a new connection) vs bound plaintext ones (each
// a new connection that proves the binding on a fresh challenge).
async Task<(double Rate, int Connections)> RateAsync(HttpClient client)
{
    var ports = new HashSet<int>();
    var count = 0;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, whoami);
        request.Headers.ConnectionClose = true;
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        if (response.GetIpsecExchange()?.Connection is { } connection)
        {
            ports.Add(connection.Flow.Local.Port);
        }

        count++;
    }

    return (count / clock.Elapsed.TotalSeconds, ports.Count);
}

using var tls = new HttpClient(IpsecChannelHandlerFactory.Create(o =>
{
    o.Requirement = IpsecChannelRequirement.RequireVerified;
    o.PeerSource = peers;
    o.Tls = Tls(withCertificate: true);
}));
var (tlsRate, tlsConnections) = await RateAsync(tls);
var (boundRate, boundConnections) = await RateAsync(bound);
Console.WriteLine($"new connections over {seconds:0.#} s each: TLS with certificate {tlsRate:0.0}/s ({tlsConnections} connections), " +
    $"bound plaintext {boundRate:0.0}/s ({boundConnections} connections): {boundRate / tlsRate:0.00}x");
Claim(tlsConnections > 1 && boundConnections > 1, "each rate counted new connections, not one kept alive");

Console.WriteLine(failures.Count == 0 ? "demo: every claim held" : $"demo: {failures.Count} claim(s) failed");
return failures.Count == 0 ? 0 : 1;
