using System.Net.Security;
using System.Runtime.CompilerServices;

namespace CbbToolkit.Http.Connections;

// SocketsHttpHandler runs TLS over the ConnectCallback's stream (so HTTP/2's :scheme stays https and ALPN follows the
// request's version policy). The certificate callback is where the handler meets the SslStream: SslStream.InnerStream
// is the ConnectionStream, which tells it which connection the handshake belongs to.
internal static class TlsCallbacks
{
    public static SslClientAuthenticationOptions Wrap(SslClientAuthenticationOptions app)
    {
        var appValidation = app.RemoteCertificateValidationCallback;
        var tls = new SslClientAuthenticationOptions
        {
            TargetHost = app.TargetHost,
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
            ApplicationProtocols = app.ApplicationProtocols,
        };
        tls.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            if (sender is SslStream ssl && InnerStream(ssl) is ConnectionStream connection)
            {
                connection.Info.AttachTls(ssl);
            }

            // The app's validation decides; without one, the platform's (a name and a chain to a trusted root).
            return appValidation is null ? errors == SslPolicyErrors.None : appValidation(sender, certificate, chain, errors);
        };
        return tls;
    }

    // AuthenticatedStream.InnerStream is protected; the accessor reads it without reflection (and stays trimming-safe).
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_InnerStream")]
    private static extern Stream InnerStream(AuthenticatedStream stream);
}
