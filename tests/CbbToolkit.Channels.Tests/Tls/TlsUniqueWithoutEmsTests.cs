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
/// tls-unique on TLS 1.2 is offered only with extended master secret (RFC 7627: without it the triple handshake attack
/// makes two sessions share their Finished messages). BouncyCastle peers, which can turn EMS off, on either side of a
/// real SslStream; with EMS on, both ends' values are equal; with it off, BouncyCastle still computes a value but ours
/// is absent with the reason, and a policy that requires only tls-unique fails closed.
/// </summary>
public sealed class TlsUniqueWithoutEmsTests(CertificateStore certificates)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private static readonly IpsecPolicy s_uniqueOnly = IpsecPolicy.Default with { ChannelBindings = TlsChannelBindings.TlsUnique };

    private OpenSslCertificate ServerCertificate => certificates.Get("ecdsa-p256-sha256");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SslStreamServer_BouncyCastleClient(bool ems)
    {
        using var certificate = ServerCertificate.Load();
        var bc = new BcTlsClientPeer([ProtocolVersion.TLSv12], useExtendedMasterSecret: ems);
        var (clientTcp, serverTcp) = await TlsLoopback.ConnectTcpAsync();
        clientTcp.ReadTimeout = clientTcp.WriteTimeout = (int)s_timeout.TotalMilliseconds;
        await using var _ = clientTcp;
        using var server = new SslStream(serverTcp);
        var connect = bc.ConnectAsync(clientTcp);
        using var timeout = new CancellationTokenSource(s_timeout);
        await server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = SslProtocols.Tls12 }, timeout.Token);
        var protocol = await connect.WaitAsync(s_timeout, TestContext.Current.CancellationToken);
        try
        {
            AssertUnique(server, bc.Bindings, ems);
        }
        finally
        {
            protocol.Close();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SslStreamClient_BouncyCastleServer(bool ems)
    {
        using var certificate = ServerCertificate.Load();
        using var key = certificate.GetECDsaPrivateKey()!;
        var bc = new BcTlsServerPeer([ProtocolVersion.TLSv12], ServerCertificate.Der(), key.ExportPkcs8PrivateKey(), useExtendedMasterSecret: ems);
        var (clientTcp, serverTcp) = await TlsLoopback.ConnectTcpAsync();
        serverTcp.ReadTimeout = serverTcp.WriteTimeout = (int)s_timeout.TotalMilliseconds;
        await using var _ = serverTcp;
        using var client = new SslStream(clientTcp);
        var accept = bc.AcceptAsync(serverTcp);
        using var timeout = new CancellationTokenSource(s_timeout);
        await client.AuthenticateAsClientAsync(TlsLoopback.ClientOptions(certificate, SslProtocols.Tls12), timeout.Token);
        var protocol = await accept.WaitAsync(s_timeout, TestContext.Current.CancellationToken);
        try
        {
            AssertUnique(client, bc.Bindings, ems);
        }
        finally
        {
            protocol.Close();
        }
    }

    private static void AssertUnique(SslStream ours, BcChannelBindings? bc, bool ems)
    {
        Assert.NotNull(bc);
        Assert.Equal(ems, bc.ExtendedMasterSecret);
        Assert.NotNull(bc.Unique); // BouncyCastle hands tls-unique out either way; the difference below is our rule
        var info = TlsChannelInfoConverter.FromSslStream(ours, s_uniqueOnly, out var omitted);
        Assert.Equal(ems, info.UsesExtendedMasterSecret);
        if (ems)
        {
            Assert.Equal(bc.Unique, info.GetBytes(ChannelAttributeType.TlsUnique));
            Assert.Empty(omitted);
            return;
        }

        Assert.False(info.Contains(ChannelAttributeType.TlsUnique));
        var omission = Assert.Single(omitted);
        Assert.Equal(ChannelAttributeType.TlsUnique, omission.Type);
        Assert.Contains("extended master secret", omission.Reason, StringComparison.Ordinal);
        Assert.Contains("RFC 7627", omission.Reason, StringComparison.Ordinal);
        var failClosed = Assert.Throws<IpsecException>(() => TlsChannelInfoConverter.FromSslStream(ours, s_uniqueOnly with { RequireChannelBinding = true }));
        Assert.Equal(IpsecError.NotSupported, failClosed.Error);
        Assert.Contains("RFC 7627", failClosed.Message, StringComparison.Ordinal);
    }
}
