using System.IO.Pipes;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Channels.DraftApi;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Policies;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CbbToolkit.Channels.DraftApi.IpsecApi;

namespace CbbToolkit.Channels.Tests.DraftApi;

public sealed partial class IpsecApiTests
{
    [Fact]
    public void ipsec_openssl_to_channel_info_NullStream_Einval()
    {
        var policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
        Assert.Equal(EINVAL, ipsec_openssl_to_channel_info(null, policy, out var ci));
        Assert.Null(ci);
    }

    [Fact]
    public void ipsec_openssl_to_channel_info_NullOrFreedPolicy_Einval()
    {
        using var ssl = new SslStream(new MemoryStream());
        Assert.Equal(EINVAL, ipsec_openssl_to_channel_info(ssl, null, out var ci));
        Assert.Null(ci);
        var policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
        Assert.Equal(0, ipsec_free_policy(policy));
        Assert.Equal(EINVAL, ipsec_openssl_to_channel_info(ssl, policy, out ci));
        Assert.Null(ci);
    }

    [Fact]
    public void ipsec_openssl_to_channel_info_HandshakeNotDone_Enotconn()
    {
        const int ENOTCONN = (int)IpsecError.NotConnected;
        using var ssl = new SslStream(new MemoryStream());
        Assert.Equal(ENOTCONN, ipsec_openssl_to_channel_info(ssl, ipsec_create_policy(IPSEC_DEFAULT_POLICY), out var ci));
        Assert.Null(ci);
        ssl.Dispose();
        Assert.Equal(ENOTCONN, ipsec_openssl_to_channel_info(ssl, ipsec_create_policy(IPSEC_DEFAULT_POLICY), out ci));
        Assert.Null(ci);
    }

    // docs/api.md "Error values": how an exception from the .NET layer becomes the facade's result.
    [Fact]
    public void ErrorOf_MapsExceptionsAsDocumented()
    {
        Assert.Equal(129, ErrorOf(new IpsecException(IpsecError.KeyRejected, "x")));
        Assert.Equal(95, ErrorOf(new IpsecException(IpsecError.NotSupported, "x")));
        Assert.Equal(74, ErrorOf(new CbbToolkit.Channels.Serialization.ChannelInfoFormatException(0, "x")));
        Assert.Equal(5, ErrorOf(new IpsecException(IpsecError.None, "a bug: an error without a code")));
        Assert.Equal(95, ErrorOf(new NotSupportedException()));
        Assert.Equal(95, ErrorOf(new PlatformNotSupportedException()));
        Assert.Equal(22, ErrorOf(new ArgumentException("x")));
        Assert.Equal(22, ErrorOf(new ArgumentNullException("x")));
        Assert.Equal(22, ErrorOf(new ObjectDisposedException("x")));
        Assert.Equal(22, ErrorOf(new InvalidOperationException()));
#pragma warning disable CA2201 // the mapping is what is under test, not throwing it
        Assert.Equal(12, ErrorOf(new OutOfMemoryException()));
#pragma warning restore CA2201
        Assert.Equal(5, ErrorOf(new CryptographicException()));
        Assert.Equal(5, ErrorOf(new IOException()));
        Assert.Equal(5, ErrorOf(new AuthenticationException()));
    }

    // The facade over the real converter: a TLS 1.3 SslStream pair on loopback, both ends converted.
    [Fact]
    public async Task ipsec_openssl_to_channel_info_AuthenticatedTls13Pair_BothEndsAgree()
    {
        using var certificate = CreateServerCertificate();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var clientTcp = new TcpClient();
        await clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, timeout.Token);
        using var serverTcp = await listener.AcceptTcpClientAsync(timeout.Token);

        using var server = new SslStream(serverTcp.GetStream());
        using var client = new SslStream(clientTcp.GetStream());
        await Task.WhenAll(
            server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                EnabledSslProtocols = SslProtocols.Tls13,
            }, timeout.Token),
            client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = SslProtocols.Tls13,
                // Pinned to the certificate made above: this test is about the facade, not about PKI.
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                    presented is not null && presented.GetCertHash(HashAlgorithmName.SHA256).AsSpan()
                        .SequenceEqual(certificate.GetCertHash(HashAlgorithmName.SHA256)),
            }, timeout.Token));

        var policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
        Assert.Equal(0, ipsec_set_policy_attr(policy, IPSEC_CHANNEL_BINDING_TYPES, 4,
            BitConverter.GetBytes((TlsChannelBindings.TlsExporter | TlsChannelBindings.TlsServerEndPoint).Flags)));
        Assert.Equal(0, ipsec_openssl_to_channel_info(client, policy, out var clientCi));
        Assert.Equal(0, ipsec_openssl_to_channel_info(server, policy, out var serverCi));

        Assert.Equal(0, ipsec_get_channel_attr(clientCi, IPSEC_CI_TLS_EXPORTER, out var length, out var clientExporter));
        Assert.Equal(32u, length);
        Assert.Equal(0, ipsec_get_channel_attr(serverCi, IPSEC_CI_TLS_EXPORTER, out _, out var serverExporter));
        Assert.Equal(clientExporter, serverExporter);
        Assert.Equal(0, ipsec_get_channel_attr(clientCi, IPSEC_CI_TLS_SERVER_END_POINT, out _, out var clientEndPoint));
        Assert.Equal(0, ipsec_get_channel_attr(serverCi, IPSEC_CI_TLS_SERVER_END_POINT, out _, out var serverEndPoint));
        Assert.Equal(clientEndPoint, serverEndPoint);
        Assert.Equal(SHA256.HashData(certificate.RawData), clientEndPoint); // ECDSA with SHA-256 (RFC 5929 section 4.1)
        Assert.Equal(ENOENT, ipsec_get_channel_attr(clientCi, IPSEC_CI_TLS_UNIQUE, out _, out _)); // not asked for, and undefined on 1.3

        Assert.Equal(0, ipsec_get_channel_attr(clientCi, IPSEC_CI_TLS_VERSION, out _, out var version));
        Assert.Equal([0x03, 0x04], version);
        Assert.Equal(0, ipsec_get_channel_attr(clientCi, IPSEC_CI_ROLE, out _, out var clientRole));
        Assert.Equal(0, ipsec_get_channel_attr(serverCi, IPSEC_CI_ROLE, out _, out var serverRole));
        Assert.Equal([(byte)ChannelRole.Client], clientRole!);
        Assert.Equal([(byte)ChannelRole.Server], serverRole!);
        Assert.Equal(1, ipsec_cmp_channel_info(clientCi, serverCi)); // roles differ

        // With a context, created-at comes from its clock.
        var at = new DateTimeOffset(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
        var context = new IpsecApiContext(timeProvider: new FakeTimeProvider(at));
        Assert.Equal(0, ipsec_openssl_to_channel_info(context, client, policy, out var timed));
        Assert.Equal(0, ipsec_get_channel_attr(timed, IPSEC_CI_CREATED_AT, out _, out var createdAt));
        Assert.Equal(at.ToUnixTimeMilliseconds(), System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(createdAt!));
        Assert.Equal(EINVAL, ipsec_openssl_to_channel_info(null, client, policy, out var none));
        Assert.Null(none);
    }

    private static X509Certificate2 CreateServerCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
    }
}
