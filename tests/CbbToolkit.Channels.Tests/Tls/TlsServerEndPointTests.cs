using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using CbbToolkit.Channels.Tests.TestSupport;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Certificates;
using CbbToolkit.Testing.OpenSsl;
using Xunit;

namespace CbbToolkit.Channels.Tests.Tls;

/// <summary>
/// tls-server-end-point for certificates the openssl CLI made, computed from real handshakes on both ends and compared
/// with <c>openssl x509 -outform DER | openssl dgst -HASH</c>.
/// </summary>
public sealed class TlsServerEndPointTests(CertificateStore certificates)
{
    // Certificate, the hash RFC 5929 section 4.1 picks, and what openssl's text form must show for the test data to be right.
    public static TheoryData<string, string, string> Matrix => new()
    {
        { "rsa-sha256", "sha256", "sha256WithRSAEncryption" },
        { "rsa-sha384", "sha384", "sha384WithRSAEncryption" },
        { "rsa-sha512", "sha512", "sha512WithRSAEncryption" },
        { "rsa-sha1", "sha256", "sha1WithRSAEncryption" },
        { "rsa-pss-sha256", "sha256", "Hash Algorithm: sha256" },
        { "rsa-pss-sha384", "sha384", "Hash Algorithm: sha384" },
        { "rsa-pss-sha1", "sha256", "Hash Algorithm: sha1 (default)" },
        { "ecdsa-p256-sha256", "sha256", "ecdsa-with-SHA256" },
        { "ecdsa-p384-sha384", "sha384", "ecdsa-with-SHA384" },
        { "ecdsa-p521-sha512", "sha512", "ecdsa-with-SHA512" },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Handshake_BothEnds_EqualOpenSslDigest(string name, string hash, string signatureText)
    {
        var certificate = certificates.Get(name);
        Assert.Contains(signatureText, Encoding.ASCII.GetString(OpenSslCli.Run("x509", "-in", certificate.CertificatePem, "-noout", "-text")), StringComparison.Ordinal);
        var expected = OpenSslCli.Digest(hash, certificate.Der());
        using var x509 = certificate.Load();
        using var tls = await TlsLoopback.ConnectAsync(x509, SslProtocols.Tls13);

        var client = tls.Client.GetChannelInfo(IpsecPolicy.Default with { ChannelBindings = TlsChannelBindings.TlsServerEndPoint });
        var server = tls.Server.GetChannelInfo(IpsecPolicy.Default with { ChannelBindings = TlsChannelBindings.TlsServerEndPoint });

        Assert.Equal(expected, client.GetBytes(ChannelAttributeType.TlsServerEndPoint));
        Assert.Equal(expected, server.GetBytes(ChannelAttributeType.TlsServerEndPoint));
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void TryCompute_Der_EqualOpenSslDigest(string name, string hash, string signatureText)
    {
        _ = signatureText;
        var certificate = certificates.Get(name);

        Assert.True(TlsServerEndPoint.TryCompute(certificate.Der(), out var value, out var reason), reason);
        Assert.Equal(OpenSslCli.Digest(hash, certificate.Der()), value);
    }

    [Fact]
    public async Task Ed25519_ClientSide_UndefinedWithReason_ExporterStillThere()
    {
        var certificate = certificates.Get("ed25519");
        using var openssl = OpenSslCli.Start("s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
            "-cert", certificate.CertificatePem, "-key", certificate.KeyPem, "-tls1_3");
        var port = int.Parse((await openssl.WaitForAsync(new Regex(@"ACCEPT 127\.0\.0\.1:(\d+)"))).Groups[1].Value, CultureInfo.InvariantCulture);
        using var expected = X509CertificateLoader.LoadCertificate(certificate.Der());
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
        using var client = new SslStream(tcp.GetStream());
        await client.AuthenticateAsClientAsync(TlsLoopback.ClientOptions(expected, SslProtocols.Tls13), TestContext.Current.CancellationToken);

        var info = TlsChannelInfoConverter.FromSslStream(client, IpsecPolicy.Default, out var omitted);
        var onlyEndPoint = IpsecPolicy.Default with { RequireChannelBinding = true, ChannelBindings = TlsChannelBindings.TlsServerEndPoint };
        var failClosed = Assert.Throws<IpsecException>(() => client.GetChannelInfo(onlyEndPoint));

        Assert.False(info.Contains(ChannelAttributeType.TlsServerEndPoint));
        Assert.Contains(omitted, o => o.Type == ChannelAttributeType.TlsServerEndPoint && o.Reason.Contains("Ed25519", StringComparison.Ordinal));
        Assert.True(info.Contains(ChannelAttributeType.TlsExporter));
        Assert.Equal(certificate.Der(), info.GetBytes(ChannelAttributeType.PeerCertificate));
        Assert.Equal(OpenSslCli.SpkiSha256(certificate.CertificatePem), info.GetBytes(ChannelAttributeType.PeerSpkiSha256));
        Assert.Equal(IpsecError.NotSupported, failClosed.Error);
    }

    [Fact]
    public async Task Ed25519_ServerSide_UndefinedWithReason()
    {
        var certificate = certificates.Get("ed25519");
        X509Certificate2 x509;
        try
        {
            x509 = certificate.Load();
        }
        catch (CryptographicException e)
        {
            Skip.Because(SkipCategory.RuntimeLimit, $".NET {Environment.Version} cannot load an Ed25519 private key for an SslStream server ({e.Message}); the client side is tested against openssl s_server");
            return;
        }

        using (x509)
        {
            using var tls = await TlsLoopback.ConnectAsync(x509, SslProtocols.Tls13);
            TlsChannelInfoConverter.FromSslStream(tls.Server, IpsecPolicy.Default, out var omitted);
            Assert.Contains(omitted, o => o.Type == ChannelAttributeType.TlsServerEndPoint && o.Reason.Contains("Ed25519", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void TryCompute_Ed25519Der_FalseWithReason()
    {
        Assert.False(TlsServerEndPoint.TryCompute(certificates.Get("ed25519").Der(), out var value, out var reason));
        Assert.Null(value);
        Assert.Contains("Ed25519", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCompute_MalformedOrTruncated_BadMessage()
    {
        var der = certificates.Get("ecdsa-p256-sha256").Der();
        byte[][] inputs = [[], [0x30], [0x04, 0x01, 0x00], der[..(der.Length / 2)], der[1..], [.. der, 0x00]];

        foreach (var input in inputs)
        {
            var e = Assert.Throws<IpsecException>(() => TlsServerEndPoint.TryCompute(input, out _, out _));
            Assert.Equal(IpsecError.BadMessage, e.Error);
        }
    }
}
