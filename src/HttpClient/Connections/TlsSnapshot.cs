using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Serialization;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.Http.Connections;

// What a finished TLS handshake established, read from the SslStream once.
internal sealed record TlsSnapshot(SslProtocols Protocol, string? ApplicationProtocol, bool SentClientCertificate, byte[]? ServerSpkiSha256,
    ChannelInfo? ChannelInfo)
{
    public static TlsSnapshot Take(SslStream ssl, IpsecPolicy policy, TimeProvider timeProvider)
    {
        ChannelInfo? info = null;
        try
        {
            info = TlsChannelInfoConverter.FromSslStream(ssl, policy, timeProvider, out _);
        }
        catch (ChannelInfoFormatException)
        {
            // The session is usable without its ChannelInfo; the snapshot then says none was made.
        }

        var alpn = ssl.NegotiatedApplicationProtocol.Protocol.Length == 0 ? null : ssl.NegotiatedApplicationProtocol.ToString();
        return new TlsSnapshot(ssl.SslProtocol, alpn, ssl.LocalCertificate is not null, Spki(ssl.RemoteCertificate), info);
    }

    public static byte[]? Spki(X509Certificate? certificate)
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
