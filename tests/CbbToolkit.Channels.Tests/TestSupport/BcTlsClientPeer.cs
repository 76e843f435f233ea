using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace CbbToolkit.Channels.Tests.TestSupport;

/// <summary>A BouncyCastle TLS client (an implementation independent of OpenSSL) that records its channel bindings.</summary>
internal sealed class BcTlsClientPeer(ProtocolVersion[] versions, bool useExtendedMasterSecret = true)
    : DefaultTlsClient(new BcTlsCrypto(new SecureRandom()))
{
    public BcChannelBindings? Bindings { get; private set; }

    public byte[]? ServerCertificate { get; private set; }

    public override bool ShouldUseExtendedMasterSecret() => useExtendedMasterSecret;

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        Bindings = BcChannelBindings.Export(m_context);
    }

    protected override ProtocolVersion[] GetSupportedVersions() => versions;

    /// <summary>Connects over the stream on a dedicated thread (BouncyCastle's blocking API).</summary>
    public Task<TlsClientProtocol> ConnectAsync(Stream stream) => Task.Factory.StartNew(() =>
    {
        var protocol = new TlsClientProtocol(stream);
        protocol.Connect(this);
        return protocol;
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private sealed class Authentication(BcTlsClientPeer owner) : TlsAuthentication
    {
        // The test pins the certificate by comparing it afterwards; BouncyCastle only has to report it.
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
            owner.ServerCertificate = serverCertificate.Certificate.GetCertificateAt(0).GetEncoded();

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) => null;
    }
}
