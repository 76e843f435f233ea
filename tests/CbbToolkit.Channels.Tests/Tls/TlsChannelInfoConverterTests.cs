using System.Buffers.Binary;
using System.Net.Security;
using System.Security.Authentication;
using CbbToolkit.Channels.Tests.TestSupport;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Certificates;
using CbbToolkit.Testing.OpenSsl;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CbbToolkit.Channels.Tests.Tls;

public sealed class TlsChannelInfoConverterTests(CertificateStore certificates)
{
    private OpenSslCertificate Server => certificates.Get("ecdsa-p256-sha256");

    [Fact]
    public async Task Tls13_BothEnds_ExporterAndEndPointEqual_UniqueOmitted()
    {
        using var cert = Server.Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls13);

        var client = TlsChannelInfoConverter.FromSslStream(tls.Client, IpsecPolicy.Default, out var clientOmitted);
        var server = TlsChannelInfoConverter.FromSslStream(tls.Server, IpsecPolicy.Default, out var serverOmitted);

        Assert.True(ChannelInfo.BindingEquals(client, server, ChannelAttributeType.TlsExporter));
        Assert.True(ChannelInfo.BindingEquals(client, server, ChannelAttributeType.TlsServerEndPoint));
        Assert.False(client.Contains(ChannelAttributeType.TlsUnique));
        Assert.False(server.Contains(ChannelAttributeType.TlsUnique));
        Assert.Contains(clientOmitted, o => o.Type == ChannelAttributeType.TlsUnique && o.Reason.Contains("TLS 1.3", StringComparison.Ordinal));
        Assert.Contains(serverOmitted, o => o.Type == ChannelAttributeType.TlsUnique);
        Assert.Equal(SslProtocols.Tls13, client.TlsVersion);
        Assert.True(client.UsesExtendedMasterSecret);
        Assert.Equal(ChannelRole.Client, client.Role);
        Assert.Equal(ChannelRole.Server, server.Role);
    }

    [Fact]
    public async Task Tls12_BothEnds_AllThreeBindingsEqual()
    {
        using var cert = Server.Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls12);

        var client = tls.Client.GetChannelInfo();
        var server = tls.Server.GetChannelInfo();

        foreach (var type in new[] { ChannelAttributeType.TlsExporter, ChannelAttributeType.TlsServerEndPoint, ChannelAttributeType.TlsUnique })
        {
            Assert.True(ChannelInfo.BindingEquals(client, server, type), $"{type} differs or is missing");
        }

        Assert.Equal(12, client.Get(ChannelAttributeType.TlsUnique).Length);
        Assert.Equal(SslProtocols.Tls12, server.TlsVersion);
        Assert.True(client.UsesExtendedMasterSecret);
        Assert.True(server.UsesExtendedMasterSecret);
    }

    [Fact]
    public async Task Tls12_TlsUnique_EqualsOpenSslFinishedMessage()
    {
        using var cert = Server.Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls12);

        // Two independent routes to the same value: the runtime's public TransportContext and OpenSSL's own Finished copy.
        Assert.Equal(OpenSslSession.GetFirstFinished(tls.Client), tls.Client.GetChannelInfo().GetBytes(ChannelAttributeType.TlsUnique));
        Assert.Equal(OpenSslSession.GetFirstFinished(tls.Server), tls.Server.GetChannelInfo().GetBytes(ChannelAttributeType.TlsUnique));
    }

    [Fact]
    public async Task Tls12_ResumedSession_TlsUniqueIsTheServerFinished()
    {
        using var cert = Server.Load();
        using var first = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls12);
        using var second = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls12);
        Skip.Unless(OpenSslSession.SessionReused(second.Client), SkipCategory.RuntimeLimit, "the runtime did not resume the TLS 1.2 session here");

        var client = second.Client.GetChannelInfo();
        var server = second.Server.GetChannelInfo();

        // On an abbreviated handshake the server's Finished comes first (RFC 5929 section 3.1).
        Assert.True(OpenSslSession.SessionReused(second.Server));
        Assert.True(ChannelInfo.BindingEquals(client, server, ChannelAttributeType.TlsUnique));
        Assert.Equal(OpenSslSession.GetFirstFinished(second.Client), client.GetBytes(ChannelAttributeType.TlsUnique));
        Assert.False(ChannelInfo.BindingEquals(client, first.Client.GetChannelInfo(), ChannelAttributeType.TlsUnique));
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task VersionAndCipherSuite_MatchTheStream(SslProtocols protocol)
    {
        using var cert = Server.Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, protocol);

        var info = tls.Server.GetChannelInfo();

        Assert.Equal(protocol, info.TlsVersion);
        Assert.Equal(protocol == SslProtocols.Tls13 ? 0x0304 : 0x0303, BinaryPrimitives.ReadUInt16BigEndian(info.Get(ChannelAttributeType.TlsVersion).Span));
        Assert.Equal(tls.Server.NegotiatedCipherSuite, info.CipherSuite);
        Assert.Equal(tls.Client.NegotiatedCipherSuite, tls.Client.GetChannelInfo().CipherSuite);
        Assert.InRange(info.CreatedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task CreatedAt_IsTheTimeProvidersNow_ToTheMillisecond()
    {
        using var cert = Server.Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls13);
        var time = new FakeTimeProvider(new DateTimeOffset(2031, 5, 6, 7, 8, 9, 123, TimeSpan.Zero));
        time.Advance(TimeSpan.FromTicks(4_567)); // below a millisecond: created-at keeps milliseconds

        var info = TlsChannelInfoConverter.FromSslStream(tls.Client, IpsecPolicy.Default, time, out _);

        Assert.Equal(new DateTimeOffset(2031, 5, 6, 7, 8, 9, 123, TimeSpan.Zero), info.CreatedAt);
    }

    [Fact]
    public async Task MutualTls_CertificatesAndSpkiHashesMatchOpenSsl()
    {
        var clientCert = certificates.Get("client-ecdsa-p256");
        using var serverX509 = Server.Load();
        using var clientX509 = clientCert.Load();
        using var tls = await TlsLoopback.ConnectAsync(serverX509, SslProtocols.Tls13, clientX509);

        var client = tls.Client.GetChannelInfo();
        var server = tls.Server.GetChannelInfo();

        Assert.True(ChannelInfo.BindingEquals(client, server, ChannelAttributeType.TlsExporter));
        Assert.Equal(Server.Der(), client.GetBytes(ChannelAttributeType.PeerCertificate));
        Assert.Equal(Server.Der(), server.GetBytes(ChannelAttributeType.LocalCertificate));
        Assert.Equal(clientCert.Der(), server.GetBytes(ChannelAttributeType.PeerCertificate));
        Assert.Equal(clientCert.Der(), client.GetBytes(ChannelAttributeType.LocalCertificate));
        Assert.Equal(OpenSslCli.SpkiSha256(Server.CertificatePem), client.GetBytes(ChannelAttributeType.PeerSpkiSha256));
        Assert.Equal(OpenSslCli.SpkiSha256(Server.CertificatePem), server.GetBytes(ChannelAttributeType.LocalSpkiSha256));
        Assert.Equal(OpenSslCli.SpkiSha256(clientCert.CertificatePem), server.GetBytes(ChannelAttributeType.PeerSpkiSha256));
        Assert.Equal(OpenSslCli.SpkiSha256(clientCert.CertificatePem), client.GetBytes(ChannelAttributeType.LocalSpkiSha256));
    }

    [Fact]
    public async Task NoClientCertificate_ServerPeerCertificateOmittedWithReason()
    {
        using var cert = Server.Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls13);

        var server = TlsChannelInfoConverter.FromSslStream(tls.Server, IpsecPolicy.Default, out var omitted);

        Assert.False(server.Contains(ChannelAttributeType.PeerCertificate));
        Assert.False(server.Contains(ChannelAttributeType.PeerSpkiSha256));
        Assert.Contains(omitted, o => o.Type == ChannelAttributeType.PeerCertificate);
    }

    // The flags as the draft's IPSEC_CHANNEL_BINDING_TYPES values: 0 none, 1 exporter, 2|8 end point and peer certificate, 16 local.
    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(2u | 8u)]
    [InlineData(16u)]
    public async Task Policy_SelectsTheAttributes(uint flags)
    {
        var selected = new ChannelBindingSelection(flags);
        using var cert = Server.Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls12);

        var info = tls.Client.GetChannelInfo(IpsecPolicy.Default with { ChannelBindings = selected });

        Assert.Equal(selected.Includes(TlsChannelBindings.TlsExporter), info.Contains(ChannelAttributeType.TlsExporter));
        Assert.Equal(selected.Includes(TlsChannelBindings.TlsServerEndPoint), info.Contains(ChannelAttributeType.TlsServerEndPoint));
        Assert.Equal(selected.Includes(TlsChannelBindings.TlsUnique), info.Contains(ChannelAttributeType.TlsUnique));
        Assert.Equal(selected.Includes(TlsChannelBindings.PeerCertificate), info.Contains(ChannelAttributeType.PeerSpkiSha256));
        Assert.False(info.Contains(ChannelAttributeType.LocalCertificate)); // the client has none
        Assert.True(info.Contains(ChannelAttributeType.TlsVersion));
        Assert.True(info.Contains(ChannelAttributeType.TlsCipherSuite));
    }

    [Fact]
    public async Task RequireChannelBinding_NoTypeSelected_NotSupported()
    {
        using var cert = Server.Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls13);
        var policy = IpsecPolicy.Default with { RequireChannelBinding = true, ChannelBindings = TlsChannelBindings.PeerCertificate };

        var e = Assert.Throws<IpsecException>(() => tls.Client.GetChannelInfo(policy));

        Assert.Equal(IpsecError.NotSupported, e.Error);
    }

    [Fact]
    public async Task RequireChannelBinding_OnlyUndefinedTypeSelected_NotSupportedNamingWhy()
    {
        using var cert = Server.Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls13);
        var policy = IpsecPolicy.Default with { RequireChannelBinding = true, ChannelBindings = TlsChannelBindings.TlsUnique };

        var e = Assert.Throws<IpsecException>(() => tls.Server.GetChannelInfo(policy));

        Assert.Equal(IpsecError.NotSupported, e.Error);
        Assert.Contains("tls-unique", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireChannelBinding_BindingAvailable_Succeeds()
    {
        using var cert = Server.Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls13);

        var info = tls.Client.GetChannelInfo(IpsecPolicy.Default with { RequireChannelBinding = true });

        Assert.True(info.Contains(ChannelAttributeType.TlsExporter));
    }

    [Fact]
    public void UnauthenticatedStream_NotConnected()
    {
        using var stream = new SslStream(new MemoryStream());

        var e = Assert.Throws<IpsecException>(() => TlsChannelInfoConverter.FromSslStream(stream, IpsecPolicy.Default));

        Assert.Equal(IpsecError.NotConnected, e.Error);
    }

    [Fact]
    public void NullArguments_Throw()
    {
        using var stream = new SslStream(new MemoryStream());

        Assert.Throws<ArgumentNullException>(() => TlsChannelInfoConverter.FromSslStream(null!, IpsecPolicy.Default));
        Assert.Throws<ArgumentNullException>(() => TlsChannelInfoConverter.FromSslStream(stream, null!));
    }

    [Fact]
    public async Task ToString_NeverShowsBindingValues()
    {
        using var cert = Server.Load();
        using var tls = await TlsLoopback.ConnectAsync(cert, SslProtocols.Tls13);

        var info = tls.Client.GetChannelInfo();
        var exporter = info.Get(ChannelAttributeType.TlsExporter).ToArray();

        Assert.DoesNotContain(Convert.ToHexString(exporter), info.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(exporter), info.ToString(), StringComparison.Ordinal);
    }
}
