using System.Net;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Kestrel.Tests.TestSupport;
using CbbToolkit.Kestrel.Tls;
using CbbToolkit.Testing.Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Xunit;

namespace CbbToolkit.Kestrel.Tests.Tls;

/// <summary>
/// Real Kestrel and HttpClient over TLS on loopback: the client always holds a certificate, and sends it only when the
/// server asks for one, so the server seeing it (or not) says whether the handshake asked.
/// </summary>
public sealed class ClientCertificateDropTests : IDisposable
{
    private readonly OpenSslCertificate _server = OpenSslCertificate.CreateLocalhost();
    private readonly string _clientDir = Directory.CreateTempSubdirectory("cbb-kauth-").FullName;
    private readonly X509Certificate2 _client;

    public ClientCertificateDropTests()
    {
        using var made = OpenSslCertificate.Create(_clientDir, "alice", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-addext", "extendedKeyUsage=clientAuth");
        _client = made.Load();
    }

    [Fact]
    public async Task VerifiedPeer_AcceptedAsPrincipal_NotAskedForCertificate()
    {
        await using var server = await StartAsync(TestChannelFeature.Verified(), accept: true);

        var (status, subject) = await GetAsync(server, withCertificate: true);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(subject);
        var (statusNoCertificate, _) = await GetAsync(server, withCertificate: false);
        Assert.Equal(HttpStatusCode.OK, statusNoCertificate);
    }

    [Theory]
    [InlineData(IpsecChannelStatus.PeerNotTrusted)]
    [InlineData(IpsecChannelStatus.NotProtected)]
    [InlineData(IpsecChannelStatus.NotLatched)]
    [InlineData(IpsecChannelStatus.PeerUnknown)]
    public async Task NotVerified_AskedAsConfigured(IpsecChannelStatus status)
    {
        var channel = TestChannelFeature.Verified();
        channel.Status = status;
        await using var server = await StartAsync(channel, accept: true);

        var (code, subject) = await GetAsync(server, withCertificate: true);

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("CN=alice", subject);
        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(server, withCertificate: false));
    }

    [Fact]
    public async Task Verified_OptionOff_AskedAsConfigured()
    {
        await using var server = await StartAsync(TestChannelFeature.Verified(), accept: false);

        var (_, subject) = await GetAsync(server, withCertificate: true);

        Assert.Equal("CN=alice", subject);
        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(server, withCertificate: false));
    }

    [Fact]
    public async Task Verified_PeerNotAccepted_AskedAsConfigured()
    {
        await using var server = await StartAsync(TestChannelFeature.Verified("mallory.example.org"), accept: true,
            acceptPeer: c => c.Peer!.RemoteId.EndsWith(".example.net", StringComparison.Ordinal));

        var (_, subject) = await GetAsync(server, withCertificate: true);

        Assert.Equal("CN=alice", subject);
    }

    [Fact]
    public async Task NoChannelFeature_AskedAsConfigured()
    {
        await using var server = await StartAsync(null, accept: true);

        var (_, subject) = await GetAsync(server, withCertificate: true);

        Assert.Equal("CN=alice", subject);
    }

    /// <summary>Cross-check with a reference TLS client: openssl s_client prints every handshake message it receives.</summary>
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task OpenSslClient_SeesCertificateRequestOnlyWhenNotVerified(bool verified, bool expectRequest)
    {
        var channel = TestChannelFeature.Verified();
        channel.Status = verified ? IpsecChannelStatus.Verified : IpsecChannelStatus.PeerNotTrusted;
        await using var server = await StartAsync(channel, accept: true);

        var result = await Task.Run(() => CbbToolkit.Testing.Processes.Tool.TryRun(CbbToolkit.Testing.OpenSsl.OpenSslCli.Require(),
            ["s_client", "-connect", $"127.0.0.1:{server.Addresses[0].Port}", "-servername", "localhost", "-tls1_3", "-msg"], "", null, TimeSpan.FromSeconds(30)),
            TestContext.Current.CancellationToken);

        Assert.Contains("ServerHello", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(expectRequest, result.Stdout.Contains("CertificateRequest", StringComparison.Ordinal));
    }

    [Fact]
    public void DelayCertificate_Refused()
    {
        var https = new HttpsConnectionAdapterOptions { ServerCertificate = _server.Load(), ClientCertificateMode = ClientCertificateMode.DelayCertificate };

        Assert.Throws<ArgumentException>(() => new IpsecClientCertificatePolicy(https, new IpsecHttpsOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
    }

    private Task<TestKestrel> StartAsync(IIpsecChannelFeature? channel, bool accept, Func<IIpsecChannelFeature, bool>? acceptPeer = null)
    {
        var certificate = _server.Load();
        return TestKestrel.StartAsync(_ => { }, [listen =>
        {
            TestKestrel.UseTestChannel(listen, _ => channel);
            listen.UseHttpsWithIpsecPeer(https =>
            {
                https.ServerCertificate = certificate;
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (c, _, _) => c.Subject == "CN=alice";
            }, o =>
            {
                o.AcceptIpsecPeerAsPrincipal = accept;
                o.AcceptPeer = acceptPeer;
            });
        }], WhoAmI.Map);
    }

    private async Task<(HttpStatusCode, string?)> GetAsync(TestKestrel server, bool withCertificate)
    {
        var serverThumbprint = _server.Load().Thumbprint;
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, c, _, _) => c is X509Certificate2 x && x.Thumbprint == serverThumbprint;
        if (withCertificate)
        {
            handler.SslOptions.ClientCertificates = [_client];
        }

        using var http = new HttpClient(handler);
        using var response = await http.GetAsync(new Uri(server.Addresses[0], "/whoami"));
        var json = await WhoAmI.JsonAsync(response);
        return (response.StatusCode, json.GetProperty("clientCertificate").GetString());
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
        Directory.Delete(_clientDir, recursive: true);
    }
}
