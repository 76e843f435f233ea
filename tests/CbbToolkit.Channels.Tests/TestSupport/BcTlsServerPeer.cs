using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace CbbToolkit.Channels.Tests.TestSupport;

/// <summary>A BouncyCastle TLS server with an ECDSA P-256 certificate that records its channel bindings.</summary>
internal sealed class BcTlsServerPeer(ProtocolVersion[] versions, byte[] certificateDer, byte[] pkcs8PrivateKey, bool useExtendedMasterSecret = true)
    : DefaultTlsServer(new BcTlsCrypto(new SecureRandom()))
{
    private readonly AsymmetricKeyParameter _privateKey = PrivateKeyFactory.CreateKey(pkcs8PrivateKey);

    public BcChannelBindings? Bindings { get; private set; }

    public override TlsCredentials GetCredentials() => Signer();

    public override bool ShouldUseExtendedMasterSecret() => useExtendedMasterSecret;

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        Bindings = BcChannelBindings.Export(m_context);
    }

    /// <summary>Accepts over the stream on a dedicated thread (BouncyCastle's blocking API).</summary>
    public Task<TlsServerProtocol> AcceptAsync(Stream stream) => Task.Factory.StartNew(() =>
    {
        var protocol = new TlsServerProtocol(stream);
        protocol.Accept(this);
        return protocol;
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    protected override ProtocolVersion[] GetSupportedVersions() => versions;

    protected override int[] GetSupportedCipherSuites() =>
    [
        CipherSuite.TLS_AES_128_GCM_SHA256,
        CipherSuite.TLS_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    ];

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() => Signer();

    private BcDefaultTlsCredentialedSigner Signer()
    {
        var crypto = (BcTlsCrypto)Crypto;
        var certificate = crypto.CreateCertificate(certificateDer);
        var chain = TlsUtilities.IsTlsV13(m_context)
            ? new Certificate(TlsUtilities.EmptyBytes, [new CertificateEntry(certificate, null)])
            : new Certificate([certificate]);
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), crypto, _privateKey, chain,
            SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }
}
