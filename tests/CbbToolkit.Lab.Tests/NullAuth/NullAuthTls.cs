using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace CbbToolkit.Lab.Tests.NullAuth;

/// <summary>TLS over a lab connection; the client checks the server's certificate against the one it expects (no accept-all).</summary>
internal static class NullAuthTls
{
    public static async Task<(SslStream Client, SslStream Server)> HandshakeAsync(Socket client, Socket accepted, X509Certificate2 certificate, CancellationToken ct)
    {
        var tlsA = new SslStream(new NetworkStream(client, ownsSocket: false), leaveInnerStreamOpen: false,
            (_, presented, _, _) => presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(certificate.RawData));
        var tlsB = new SslStream(new NetworkStream(accepted, ownsSocket: false), leaveInnerStreamOpen: false);
        await Task.WhenAll(
            tlsA.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "server.test" }, ct),
            tlsB.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, ct));
        return (tlsA, tlsB);
    }
}
