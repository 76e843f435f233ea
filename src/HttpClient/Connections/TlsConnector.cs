using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Serialization;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.Http.Connections;

// The TLS handshake the handler runs for https, with the app's SslClientAuthenticationOptions.
internal static class TlsConnector
{
    public static async Task<SslStream> AuthenticateAsync(Stream inner, string targetHost, Version httpVersion, IpsecConnectionInfo info,
        IpsecChannelOptions options, CancellationToken cancellationToken)
    {
        var wantsH2 = httpVersion.Major >= 2;
        var app = options.Tls;
        var tls = new SslClientAuthenticationOptions
        {
            TargetHost = string.IsNullOrEmpty(app.TargetHost) ? targetHost : app.TargetHost,
            RemoteCertificateValidationCallback = app.RemoteCertificateValidationCallback,
            LocalCertificateSelectionCallback = app.LocalCertificateSelectionCallback,
            ClientCertificates = app.ClientCertificates,
            ClientCertificateContext = app.ClientCertificateContext,
            EnabledSslProtocols = app.EnabledSslProtocols,
            CertificateRevocationCheckMode = app.CertificateRevocationCheckMode,
            CertificateChainPolicy = app.CertificateChainPolicy,
            EncryptionPolicy = app.EncryptionPolicy,
            AllowRenegotiation = app.AllowRenegotiation,
            AllowTlsResume = app.AllowTlsResume,
            CipherSuitesPolicy = app.CipherSuitesPolicy,
            // One protocol per connection: the inner handler already committed to h2 (prior knowledge) or HTTP/1.1.
            ApplicationProtocols = [wantsH2 ? SslApplicationProtocol.Http2 : SslApplicationProtocol.Http11],
        };

        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(tls, cancellationToken).ConfigureAwait(false);
            if (wantsH2 && ssl.NegotiatedApplicationProtocol != SslApplicationProtocol.Http2)
            {
                throw new IpsecChannelRefusedException(IpsecChannelRefusal.ApplicationProtocolMismatch, info.Flow,
                    $"{info.Flow}: the request needs HTTP/2, but the server's TLS handshake negotiated " +
                    $"'{(ssl.NegotiatedApplicationProtocol.Protocol.Length == 0 ? "no ALPN" : ssl.NegotiatedApplicationProtocol.ToString())}'. " +
                    "Ask for HTTP/1.1 or use VersionPolicy RequestVersionOrLower.");
            }

            ChannelInfo? channelInfo = null;
            try
            {
                channelInfo = TlsChannelInfoConverter.FromSslStream(ssl, options.Policy ?? IpsecPolicy.Default, options.TimeProvider, out _);
            }
            catch (ChannelInfoFormatException)
            {
                // The session is usable without its ChannelInfo; the info then says none was made.
            }

            info.SetTls(ssl, channelInfo, Spki(ssl.RemoteCertificate));
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static byte[]? Spki(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return null;
        }

        if (certificate is X509Certificate2 cert)
        {
            return SHA256.HashData(cert.PublicKey.ExportSubjectPublicKeyInfo());
        }

        using var loaded = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return SHA256.HashData(loaded.PublicKey.ExportSubjectPublicKeyInfo());
    }
}
