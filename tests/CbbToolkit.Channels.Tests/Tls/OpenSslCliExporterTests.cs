using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using CbbToolkit.Channels.Tests.TestSupport;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Testing.Certificates;
using CbbToolkit.Testing.OpenSsl;
using Xunit;

namespace CbbToolkit.Channels.Tests.Tls;

/// <summary>
/// tls-exporter against the openssl CLI as the peer. <c>-keymatexport</c> passes NO context (use_context=0): on TLS 1.3
/// that equals RFC 9266's empty context, on TLS 1.2 it does not, so there the CLI is compared with our raw
/// use_context=0 export and the RFC 9266 value must differ from it.
/// </summary>
public sealed class OpenSslCliExporterTests(CertificateStore certificates)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls12)]
    public async Task SslStreamClient_OpenSslServer_ExporterMatchesCli(SslProtocols protocol)
    {
        var server = certificates.Get("ecdsa-p256-sha256");
        using var openssl = OpenSslCli.Start("s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
            "-cert", server.CertificatePem, "-key", server.KeyPem, VersionFlag(protocol),
            "-keymatexport", TlsKeyingMaterial.ChannelBindingLabel, "-keymatexportlen", "32");
        var port = int.Parse((await openssl.WaitForAsync(new Regex(@"ACCEPT 127\.0\.0\.1:(\d+)"))).Groups[1].Value, CultureInfo.InvariantCulture);
        using var expected = X509CertificateLoader.LoadCertificate(server.Der());
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
        using var client = new SslStream(tcp.GetStream());
        using var timeout = new CancellationTokenSource(s_timeout);
        await client.AuthenticateAsClientAsync(TlsLoopback.ClientOptions(expected, protocol), timeout.Token);

        var cli = await OpenSslCli.KeyingMaterialAsync(openssl);

        AssertMatchesCli(client, cli, protocol);
    }

    [Theory]
    [InlineData(SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls12)]
    public async Task SslStreamServer_OpenSslClient_ExporterMatchesCli(SslProtocols protocol)
    {
        var certificate = certificates.Get("ecdsa-p256-sha256");
        using var serverCertificate = certificate.Load();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var openssl = OpenSslCli.Start("s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost",
            VersionFlag(protocol), "-keymatexport", TlsKeyingMaterial.ChannelBindingLabel, "-keymatexportlen", "32");
        using var timeout = new CancellationTokenSource(s_timeout);
        using var tcp = await listener.AcceptTcpClientAsync(timeout.Token);
        using var server = new SslStream(tcp.GetStream());
        await server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = serverCertificate,
            EnabledSslProtocols = protocol,
        }, timeout.Token);

        var cli = await OpenSslCli.KeyingMaterialAsync(openssl);

        AssertMatchesCli(server, cli, protocol);
    }

    private static void AssertMatchesCli(SslStream stream, byte[] cli, SslProtocols protocol)
    {
        Assert.Equal(32, cli.Length);
        var rfc9266 = stream.GetChannelInfo().Get(ChannelAttributeType.TlsExporter).ToArray();
        if (protocol == SslProtocols.Tls13)
        {
            Assert.Equal(cli, rfc9266);
        }
        else
        {
            Assert.Equal(cli, TlsKeyingMaterial.Export(stream, TlsKeyingMaterial.ChannelBindingLabel, [], useContext: false, 32));
            Assert.NotEqual(cli, rfc9266);
        }
    }

    private static string VersionFlag(SslProtocols protocol) => protocol == SslProtocols.Tls13 ? "-tls1_3" : "-tls1_2";
}
