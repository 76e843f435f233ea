using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Bindings.Messages;
using CbbToolkit.Channels.Tests.TestSupport;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec;
using CbbToolkit.Testing.Certificates;
using Org.BouncyCastle.Tls;
using Xunit;

namespace CbbToolkit.Channels.Tests.Bindings.Threats;

/// <summary>
/// The exchange against BouncyCastle's TLS stack (independent of OpenSSL): its exporter for the protocol's label equals
/// ours; a BouncyCastle client that computes its proof with the independent implementation binds with our server;
/// TLS 1.2 without extended master secret is refused for the exchange on either end.
/// </summary>
public sealed class BouncyCastleExchangeTests(CertificateStore certificates)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls12)]
    public async Task BouncyCastleClient_IndependentProof_BindsWithOurServer(SslProtocols protocol)
    {
        var bc = new BcTlsClientPeer([protocol == SslProtocols.Tls13 ? ProtocolVersion.TLSv13 : ProtocolVersion.TLSv12]);
        using var server = new ExchangeUnderTest();
        await WithBouncyCastleClientAsync(bc, protocol, tls =>
        {
            var exporter = bc.Bindings!.CbbBindingExporter;
            Assert.NotNull(exporter);
            var ours = new byte[32];
            Assert.True(TlsKeyingMaterial.TryExport(tls, "EXPORTER-CBB-IPsec-Binding-v1"u8, ours, out _));
            Assert.Equal(exporter, ours);

            var independent = new IndependentBindingProofs.FirstContact(exporter);
            var request = BindingMessage.ClientFirstContact(IpsecBindingValues.SaBinding, independent.ClientProof(1, Channels.Sa, null));
            var (response, record) = server.Exchange.AcceptClientFirstContact(tls, Channels.Honest(), request, IpsecIdentity.Unauthenticated, null)!.Value;

            var id = response.BindingId.Bytes.ToArray();
            Assert.Equal(independent.ServerProof(1, Channels.Sa, null, request.Proof.ToArray(), id, response.LifetimeSeconds), response.Proof.ToArray());
            var secret = new byte[32];
            record.Secret.CopyTo(secret);
            Assert.Equal(independent.Secret(id), secret);
        });
    }

    // Defense: the exporter is refused on TLS 1.2 without extended master secret (RFC 7627), so nothing binds there.
    [Fact]
    public async Task Tls12WithoutEms_BouncyCastleClient_ServerRefuses()
    {
        var bc = new BcTlsClientPeer([ProtocolVersion.TLSv12], useExtendedMasterSecret: false);
        using var server = new ExchangeUnderTest();
        await WithBouncyCastleClientAsync(bc, SslProtocols.Tls12, tls =>
        {
            Assert.False(bc.Bindings!.ExtendedMasterSecret);
            Assert.Null(bc.Bindings.CbbBindingExporter); // BouncyCastle refuses it as well
            var anyProof = BindingMessage.ClientFirstContact(IpsecBindingValues.SaBinding, RandomNumberGenerator.GetBytes(32));
            var e = Refusals.Assert(server, BindingFailureReason.ExporterUnavailable, () =>
                server.Exchange.AcceptClientFirstContact(tls, Channels.Honest(), anyProof, IpsecIdentity.Unauthenticated, null));
            Assert.Contains("extended master secret", e.Message, StringComparison.Ordinal);
            Assert.Equal(IpsecError.NotSupported, e.Error);
        });
    }

    [Fact]
    public async Task Tls12WithoutEms_BouncyCastleServer_ClientRefuses()
    {
        var certificate = certificates.Get("ecdsa-p256-sha256");
        using var loaded = certificate.Load();
        using var key = loaded.GetECDsaPrivateKey()!;
        var bc = new BcTlsServerPeer([ProtocolVersion.TLSv12], certificate.Der(), key.ExportPkcs8PrivateKey(), useExtendedMasterSecret: false);
        var (clientTcp, serverTcp) = await TlsLoopback.ConnectTcpAsync();
        serverTcp.ReadTimeout = serverTcp.WriteTimeout = (int)s_timeout.TotalMilliseconds;
        await using var _ = serverTcp;
        using var tls = new SslStream(clientTcp);
        var accept = bc.AcceptAsync(serverTcp);
        using var timeout = new CancellationTokenSource(s_timeout);
        await tls.AuthenticateAsClientAsync(TlsLoopback.ClientOptions(loaded, SslProtocols.Tls12), timeout.Token);
        var protocol = await accept.WaitAsync(s_timeout, TestContext.Current.CancellationToken);
        using var client = new ExchangeUnderTest();
        try
        {
            Refusals.Assert(client, BindingFailureReason.ExporterUnavailable, () => client.Exchange.BeginClientFirstContact(tls, Channels.Honest()));
        }
        finally
        {
            protocol.Close();
        }
    }

    private async Task WithBouncyCastleClientAsync(BcTlsClientPeer bc, SslProtocols protocol, Action<SslStream> inspect)
    {
        using var certificate = certificates.Get("ecdsa-p256-sha256").Load();
        var (clientTcp, serverTcp) = await TlsLoopback.ConnectTcpAsync();
        clientTcp.ReadTimeout = clientTcp.WriteTimeout = (int)s_timeout.TotalMilliseconds;
        await using var _ = clientTcp;
        using var tls = new SslStream(serverTcp);
        var connect = bc.ConnectAsync(clientTcp);
        using var timeout = new CancellationTokenSource(s_timeout);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = protocol }, timeout.Token);
        var handler = await connect.WaitAsync(s_timeout, TestContext.Current.CancellationToken);
        try
        {
            inspect(tls);
        }
        finally
        {
            handler.Close();
        }
    }
}
