using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Testing.Certificates;
using CbbToolkit.Yarp.Headers;
using CbbToolkit.Yarp.Identity;
using CbbToolkit.Yarp.Tests.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Xunit;

namespace CbbToolkit.Yarp.Tests.Identity;

/// <summary>RFC 9440 Client-Cert from a real TLS handshake with a client certificate (OpenSSL-made) at the proxy.</summary>
public sealed class ClientCertificateForwardingTests : IDisposable
{
    private readonly OpenSslCertificate _server = OpenSslCertificate.CreateLocalhost();
    private readonly string _dir = Directory.CreateTempSubdirectory("cbb-yarp-cc-").FullName;

    [Fact]
    public async Task ClientCertificate_SetRoute_ForwardedAsRfc9440ByteSequence_ForgedOneDropped()
    {
        using var clientCert = OpenSslCertificate.Create(_dir, "alice", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        using var serverCertificate = _server.Load();
        await using var pair = await ProxyPair.StartAsync(listen: l => l.UseHttps(o =>
        {
            o.ServerCertificate = serverCertificate;
            o.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            o.ClientCertificateValidation = (_, _, _) => true; // the test checks what is forwarded, not who is trusted
        }));
        pair.Channel = () => TestChannelFeature.Verified("alice.example.net");
        using var certificate = clientCert.Load();
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = new X509CertificateCollection { certificate };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256).Equals(_server.CertificateSha256Hex, StringComparison.OrdinalIgnoreCase);
        pair.ClientHandler = handler;

        var (_, set) = await pair.SendAsync("/set/x", ("Client-Cert", ":TUFMTE9SWQ==:"));
        var (_, plain) = await pair.SendAsync("/plain/x", ("Client-Cert", ":TUFMTE9SWQ==:"));

        var value = Assert.Single(set!["client-cert"]);
        Assert.Equal(":" + Convert.ToBase64String(clientCert.Der()) + ":", value);
        Assert.Equal(true, StructuredDictionaryParser.Parse(Assert.Single(set["cbb-identity"]))[IpsecIdentityKeys.Tls]);
        Assert.False(plain!.ContainsKey("client-cert"));
    }

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
