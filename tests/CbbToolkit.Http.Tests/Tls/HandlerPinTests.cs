using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Http.Tests.Support;
using CbbToolkit.Testing.Certificates;
using CbbToolkit.Testing.Namespaces;
using Microsoft.Extensions.Options;
using Xunit;

namespace CbbToolkit.Http.Tests.Tls;

// Pins from a real SqlitePinStore checked in the TLS handshake against a real Kestrel. Loopback has no IPsec, so the
// pinned IPsec identity is the unauthenticated one; the server's TLS key is what changes.
public sealed class HandlerPinTests : IClassFixture<CertificateStore>, IDisposable
{
    private readonly CertificateStore _certificates;
    private readonly string _folder = Directory.CreateTempSubdirectory("cbb-http-pins-").FullName;

    public HandlerPinTests(CertificateStore certificates) => _certificates = certificates;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PinnedKey_SameServer_MatchedAndServed()
    {
        var serverCert = _certificates.Get("ecdsa-p256-sha256");
        using var cert = serverCert.Load();
        using var ns = ScratchNamespace.Create("cbbh-");
        await using var server = await NamespacedKestrel.StartAsync(ns, cert, cancellationToken: Ct);
        using var pins = OpenStore();
        await PinAsync(pins, server, Convert.FromHexString(serverCert.SpkiSha256Hex));
        using var client = Client(server, pins);

        using var response = await client.GetAsync("whoami", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(IpsecPinState.Matched, response.GetIpsecConnection()!.Pin);
    }

    [Fact]
    public async Task PinnedKey_ServerKeyChanged_RefusedNamingOldAndNew()
    {
        var serverCert = _certificates.Get("ecdsa-p256-sha256");
        var other = _certificates.Get("ecdsa-p384-sha384");
        using var cert = serverCert.Load();
        using var ns = ScratchNamespace.Create("cbbh-");
        await using var server = await NamespacedKestrel.StartAsync(ns, cert, cancellationToken: Ct);
        using var pins = OpenStore();
        await PinAsync(pins, server, Convert.FromHexString(other.SpkiSha256Hex)); // pinned: a key the server no longer has
        using var client = Client(server, pins);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("whoami", Ct));

        var mismatch = Assert.IsType<PinMismatchException>(e.InnerException);
        Assert.Equal(PinnedIdentity.TlsSpki, mismatch.Identity);
        Assert.Contains(other.SpkiSha256Hex, mismatch.OldValue, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(serverCert.SpkiSha256Hex, mismatch.NewValue, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task NoPin_FirstContact_ReportedUnknownAndServed()
    {
        var serverCert = _certificates.Get("ecdsa-p256-sha256");
        using var cert = serverCert.Load();
        using var ns = ScratchNamespace.Create("cbbh-");
        await using var server = await NamespacedKestrel.StartAsync(ns, cert, cancellationToken: Ct);
        using var pins = OpenStore();
        using var client = Client(server, pins);

        using var response = await client.GetAsync("whoami", Ct);

        Assert.Equal(IpsecPinState.Unknown, response.GetIpsecConnection()!.Pin);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private SqlitePinStore OpenStore() => new(Options.Create(new PinStoreOptions { Path = Path.Combine(_folder, "pins.db") }));

    private HttpClient Client(NamespacedKestrel server, SqlitePinStore pins) => new(IpsecChannelHandlerFactory.Create(o =>
    {
        o.SocketFactory = server.SocketFactory;
        o.Pins = pins;
        o.Tls = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null }; // self-signed: the pin is the trust here
    }))
    { BaseAddress = server.BaseUri };

    private static async Task PinAsync(SqlitePinStore pins, NamespacedKestrel server, byte[] spki)
    {
        var now = DateTimeOffset.UtcNow;
        using var record = new ChannelBindingRecord(BindingId.NewId(), BindingProtocolVersion.V1, ChannelRole.Client,
            new BindingSecret(RandomNumberGenerator.GetBytes(32)), IpsecIdentity.Unauthenticated, IpsecIdentity.Unauthenticated,
            null, spki, $"127.0.0.1:{server.BaseUri.Port}", now, now + TimeSpan.FromHours(1));
        Assert.Equal(PinWriteOutcome.Pinned, await pins.PinAsync(record, allowLeapOfFaith: true, TestContext.Current.CancellationToken));
    }
}
