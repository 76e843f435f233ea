using System.Net.Security;
using System.Runtime.CompilerServices;
using CbbToolkit.Channels.Stores;

namespace CbbToolkit.Http.Connections;

// SocketsHttpHandler runs TLS over the ConnectCallback's stream (so HTTP/2's :scheme stays https and ALPN follows the
// request's version policy). The certificate callback is where the handler meets the SslStream: SslStream.InnerStream
// is the ConnectionStream, which tells it which connection the handshake belongs to.
internal static class TlsCallbacks
{
    public static SslClientAuthenticationOptions Wrap(SslClientAuthenticationOptions app, IPinStore? pins)
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
            var connection = sender is SslStream ssl && InnerStream(ssl) is ConnectionStream c ? c : null;
            if (connection is not null)
            {
                connection.Info.AttachTls((SslStream)sender);
            }

            // The app's validation decides; without one, the platform's (a name and a chain to a trusted root).
            var valid = appValidation is null ? errors == SslPolicyErrors.None : appValidation(sender, certificate, chain, errors);
            if (valid && pins is not null && connection is not null && certificate is not null)
            {
                PinCheck.Verify(pins, connection.Info, certificate); // throws PinMismatchException: the handshake fails with it
            }

            return valid;
        };
        return tls;
    }

    // AuthenticatedStream.InnerStream is protected; the accessor reads it without reflection (and stays trimming-safe).
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_InnerStream")]
    private static extern Stream InnerStream(AuthenticatedStream stream);
}
