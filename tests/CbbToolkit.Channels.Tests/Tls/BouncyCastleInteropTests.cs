using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Channels.Tests.TestSupport;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Testing.Certificates;
using Org.BouncyCastle.Tls;
using Xunit;

namespace CbbToolkit.Channels.Tests.Tls;

/// <summary>
/// Channel bindings against BouncyCastle's TLS stack, an implementation independent of OpenSSL, as client and as server.
/// BouncyCastle exports tls-server-end-point and tls-unique only on TLS 1.2.
/// </summary>
public sealed class BouncyCastleInteropTests(CertificateStore certificates)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private OpenSslCertificate ServerCertificate => certificates.Get("ecdsa-p256-sha256");

    [Theory]
    [InlineData(SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls12)]
    public async Task BouncyCastleClient_SslStreamServer_BindingsEqual(SslProtocols protocol)
    {
        var bc = new BcTlsClientPeer(Versions(protocol));

        var info = await ServeBouncyCastleClientAsync(bc, protocol);

        AssertSameBindings(bc.Bindings, info, protocol);
        Assert.Equal(ServerCertificate.Der(), bc.ServerCertificate);
    }

    [Theory]
    [InlineData(SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls12)]
    public async Task SslStreamClient_BouncyCastleServer_BindingsEqual(SslProtocols protocol)
    {
        using var certificate = ServerCertificate.Load();
        using var key = certificate.GetECDsaPrivateKey()!;
        var bc = new BcTlsServerPeer(Versions(protocol), ServerCertificate.Der(), key.ExportPkcs8PrivateKey());
        var (clientTcp, serverTcp) = await TlsLoopback.ConnectTcpAsync();
        serverTcp.ReadTimeout = serverTcp.WriteTimeout = (int)s_timeout.TotalMilliseconds;
        await using var _ = serverTcp;
        using var client = new SslStream(clientTcp);
        var accept = bc.AcceptAsync(serverTcp);
        using var timeout = new CancellationTokenSource(s_timeout);
        await client.AuthenticateAsClientAsync(TlsLoopback.ClientOptions(certificate, protocol), timeout.Token);
        var protocolHandler = await accept.WaitAsync(s_timeout, TestContext.Current.CancellationToken);

        try
        {
            AssertSameBindings(bc.Bindings, client.GetChannelInfo(), protocol);
        }
        finally
        {
            protocolHandler.Close();
        }
    }

    [Fact]
    public async Task BouncyCastleClientWithoutEms_Tls12_ExporterOmittedOthersEqual()
    {
        var bc = new BcTlsClientPeer(Versions(SslProtocols.Tls12), useExtendedMasterSecret: false);
        ChannelInfo? info = null;
        IReadOnlyList<ChannelInfoOmission>? omitted = null;

        await ServeBouncyCastleClientAsync(bc, SslProtocols.Tls12, server =>
        {
            info = TlsChannelInfoConverter.FromSslStream(server, IpsecPolicy.Default, out omitted);
            var direct = Assert.Throws<IpsecException>(() => TlsKeyingMaterial.ExportChannelBinding(server));
            Assert.Equal(IpsecError.NotSupported, direct.Error);
            var required = IpsecPolicy.Default with { RequireChannelBinding = true, ChannelBindings = TlsChannelBindings.TlsExporter };
            var failClosed = Assert.Throws<IpsecException>(() => server.GetChannelInfo(required));
            Assert.Equal(IpsecError.NotSupported, failClosed.Error);
            Assert.Contains("extended master secret", failClosed.Message, StringComparison.Ordinal);
        });

        Assert.NotNull(bc.Bindings);
        Assert.False(bc.Bindings.ExtendedMasterSecret);
        Assert.Null(bc.Bindings.Exporter); // BouncyCastle refuses too
        Assert.False(info!.UsesExtendedMasterSecret);
        Assert.False(info.Contains(ChannelAttributeType.TlsExporter));
        Assert.Contains(omitted!, o => o.Type == ChannelAttributeType.TlsExporter && o.Reason.Contains("extended master secret", StringComparison.Ordinal));
        Assert.Equal(bc.Bindings.ServerEndPoint, info.GetBytes(ChannelAttributeType.TlsServerEndPoint));
        // tls-unique is withheld too (RFC 7627), although BouncyCastle computes a value: TlsUniqueWithoutEmsTests.
        Assert.NotNull(bc.Bindings.Unique);
        Assert.False(info.Contains(ChannelAttributeType.TlsUnique));
    }

    private async Task<ChannelInfo> ServeBouncyCastleClientAsync(BcTlsClientPeer bc, SslProtocols protocol, Action<SslStream>? inspect = null)
    {
        using var certificate = ServerCertificate.Load();
        var (clientTcp, serverTcp) = await TlsLoopback.ConnectTcpAsync();
        clientTcp.ReadTimeout = clientTcp.WriteTimeout = (int)s_timeout.TotalMilliseconds;
        await using var _ = clientTcp;
        using var server = new SslStream(serverTcp);
        var connect = bc.ConnectAsync(clientTcp);
        using var timeout = new CancellationTokenSource(s_timeout);
        await server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = certificate,
            EnabledSslProtocols = protocol,
        }, timeout.Token);
        var protocolHandler = await connect.WaitAsync(s_timeout, TestContext.Current.CancellationToken);
        try
        {
            inspect?.Invoke(server);
            return server.GetChannelInfo();
        }
        finally
        {
            protocolHandler.Close();
        }
    }

    private static void AssertSameBindings(BcChannelBindings? bc, ChannelInfo ours, SslProtocols protocol)
    {
        Assert.NotNull(bc);
        Assert.NotNull(bc.Exporter);
        Assert.Equal(bc.Exporter, ours.GetBytes(ChannelAttributeType.TlsExporter));
        Assert.Equal(protocol == SslProtocols.Tls13 ? ProtocolVersion.TLSv13 : ProtocolVersion.TLSv12, bc.Version);
        Assert.True(bc.ExtendedMasterSecret || protocol == SslProtocols.Tls13);
        if (protocol == SslProtocols.Tls12)
        {
            Assert.NotNull(bc.ServerEndPoint);
            Assert.NotNull(bc.Unique);
            Assert.Equal(bc.ServerEndPoint, ours.GetBytes(ChannelAttributeType.TlsServerEndPoint));
            Assert.Equal(bc.Unique, ours.GetBytes(ChannelAttributeType.TlsUnique));
        }
        else
        {
            Assert.False(ours.Contains(ChannelAttributeType.TlsUnique));
        }
    }

    private static ProtocolVersion[] Versions(SslProtocols protocol) =>
        protocol == SslProtocols.Tls13 ? [ProtocolVersion.TLSv13] : [ProtocolVersion.TLSv12];
}
