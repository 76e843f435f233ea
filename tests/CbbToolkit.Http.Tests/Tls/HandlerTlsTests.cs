using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Http.Tests.Support;
using CbbToolkit.Testing.Certificates;
using CbbToolkit.Testing.Namespaces;
using Microsoft.AspNetCore.Server.Kestrel.Https;

using Xunit;

namespace CbbToolkit.Http.Tests.Tls;

// TLS over the handler's checked connection (SocketsHttpHandler runs it with the app's options) against a real Kestrel with certificates openssl made.
public sealed class HandlerTlsTests : IClassFixture<CertificateStore>
{
    private readonly CertificateStore _certificates;

    public HandlerTlsTests(CertificateStore certificates) => _certificates = certificates;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Https_Http11_HandshakeOverTheCheckedConnectionHonoursTheAppsValidation()
    {
        var serverCert = _certificates.Get("ecdsa-p256-sha256");
        using var cert = serverCert.Load();
        using var ns = ScratchNamespace.Create("cbbh-");
        await using var server = await NamespacedKestrel.StartAsync(ns, cert, cancellationToken: Ct);
        var validated = 0;
        using var client = new HttpClient(IpsecChannelHandlerFactory.Create(o =>
        {
            o.SocketFactory = server.SocketFactory;
            o.Tls = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, c, _, _) => Trust(c, serverCert, ref validated) };
        }))
        { BaseAddress = server.BaseUri };

        using var response = await client.GetAsync("whoami", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, validated);
        var info = response.GetIpsecConnection()!;
        Assert.True(info.IsTls);
        Assert.Equal(SslProtocols.Tls13, info.TlsProtocol);
        Assert.Null(info.ApplicationProtocol); // SocketsHttpHandler offers no ALPN for an HTTP/1.1-only request
        Assert.False(info.SentClientCertificate);
        Assert.NotNull(info.TlsChannelInfo);
        Assert.Equal(serverCert.SpkiSha256Hex, Convert.ToHexStringLower(info.ServerSpkiSha256!.Value.Span)); // openssl's SPKI hash
        var whoami = (await response.Content.ReadFromJsonAsync<WhoAmI>(Ct))!;
        Assert.True(whoami.Tls);
        Assert.Equal("HTTP/1.1", whoami.Protocol);
        Assert.Equal($"127.0.0.1:{server.BaseUri.Port}", whoami.Host);
        Assert.Equal(Uri.UriSchemeHttps, response.RequestMessage!.RequestUri!.Scheme); // the app sees its own URL
    }

    [Fact]
    public async Task Https_Http2Request_NegotiatesH2ByAlpn()
    {
        var serverCert = _certificates.Get("ecdsa-p256-sha256");
        using var cert = serverCert.Load();
        using var ns = ScratchNamespace.Create("cbbh-");
        await using var server = await NamespacedKestrel.StartAsync(ns, cert, cancellationToken: Ct);
        var validated = 0;
        using var client = new HttpClient(IpsecChannelHandlerFactory.Create(o =>
        {
            o.SocketFactory = server.SocketFactory;
            o.Tls = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, c, _, _) => Trust(c, serverCert, ref validated) };
        }))
        { BaseAddress = server.BaseUri, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await client.GetAsync("whoami", Ct);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("h2", response.GetIpsecConnection()!.ApplicationProtocol);
        Assert.Equal("HTTP/2", (await response.Content.ReadFromJsonAsync<WhoAmI>(Ct))!.Protocol);
    }

    [Fact]
    public async Task Https_ClientCertificate_PresentedAndSeenByTheServer()
    {
        var serverCert = _certificates.Get("ecdsa-p256-sha256");
        var clientCert = _certificates.Get("client-ecdsa-p256");
        using var cert = serverCert.Load();
        using var mine = clientCert.Load();
        using var ns = ScratchNamespace.Create("cbbh-");
        await using var server = await NamespacedKestrel.StartAsync(ns, cert, ClientCertificateMode.RequireCertificate, Ct);
        var validated = 0;
        using var client = new HttpClient(IpsecChannelHandlerFactory.Create(o =>
        {
            o.SocketFactory = server.SocketFactory;
            o.Tls = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, c, _, _) => Trust(c, serverCert, ref validated),
                ClientCertificates = [mine],
            };
        }))
        { BaseAddress = server.BaseUri };

        using var response = await client.GetAsync("whoami", Ct);

        Assert.True(response.GetIpsecConnection()!.SentClientCertificate);
        Assert.Equal(mine.Subject, (await response.Content.ReadFromJsonAsync<WhoAmI>(Ct))!.ClientCertificate);
    }

    [Fact]
    public async Task Https_SystemValidation_UntrustedServerRefused()
    {
        using var cert = _certificates.Get("ecdsa-p256-sha256").Load();
        using var ns = ScratchNamespace.Create("cbbh-");
        await using var server = await NamespacedKestrel.StartAsync(ns, cert, cancellationToken: Ct);
        using var client = new HttpClient(IpsecChannelHandlerFactory.Create(o => o.SocketFactory = server.SocketFactory)) { BaseAddress = server.BaseUri };

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("whoami", Ct));

        Assert.IsType<AuthenticationException>(e.InnerException);
        Assert.Equal(0, server.Requests);
    }

    // Trusts exactly the expected certificate (self-signed, so no chain to a root).
    private static bool Trust(X509Certificate? presented, OpenSslCertificate expected, ref int count)
    {
        Interlocked.Increment(ref count);
        return presented is not null && string.Equals(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(presented.GetRawCertData())),
            expected.CertificateSha256Hex.Replace(":", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }
}
