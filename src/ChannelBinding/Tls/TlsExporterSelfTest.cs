using System.Diagnostics.CodeAnalysis;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Tls;

/// <summary>
/// The start-up self-test of the exporter path: a real TLS 1.3 handshake between two in-process SslStreams over an
/// abstract Unix socket (no network configuration needed, works in a fresh network namespace), with an ephemeral ECDSA
/// certificate; the exporter computed on both ends must be 32 equal, non-zero bytes.
/// </summary>
internal static class TlsExporterSelfTest
{
    // Real time on purpose (no TimeProvider): the bound is a kernel socket timeout (SO_RCVTIMEO) and a thread join,
    // and the certificate's validity is checked by OpenSSL against the system clock.
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(15);

    /// <summary>Runs the test and returns the verdict; never throws.</summary>
    [SuppressMessage("Design", "CA1031", Justification = "Any failure of the self-test means the exporter is unavailable; the verdict carries it.")]
    internal static TlsExporterSupport Run()
    {
        try
        {
            var (client, server) = ExportOnBothEnds();
            return Judge(client, server);
        }
        catch (IpsecException e)
        {
            // Keep "the layout or library is missing" apart; anything else the self-test hits means "does not work here".
            return TlsExporterSupport.Unavailable(
                e.Error == IpsecError.ProtocolOptionUnavailable ? e.Error : IpsecError.NotSupported, e.Message);
        }
        catch (Exception e)
        {
            return TlsExporterSupport.Unavailable(IpsecError.NotSupported,
                $"the self-test's loopback TLS 1.3 handshake failed ({e.GetType().Name}: {e.Message}).");
        }
    }

    /// <summary>The verdict on the two ends' exporters: 32 equal octets, not all zero.</summary>
    internal static TlsExporterSupport Judge(ReadOnlySpan<byte> client, ReadOnlySpan<byte> server)
    {
        if (client.Length != TlsKeyingMaterial.ChannelBindingLength || !client.SequenceEqual(server))
        {
            return TlsExporterSupport.Unavailable(IpsecError.NotSupported,
                "the self-test's two ends of a loopback TLS 1.3 handshake computed different exporters.");
        }

        return client.IndexOfAnyExcept((byte)0) < 0
            ? TlsExporterSupport.Unavailable(IpsecError.NotSupported, "the self-test's exporter was all zeros.")
            : TlsExporterSupport.Available;
    }

    private static (byte[] Client, byte[] Server) ExportOnBothEnds()
    {
        using var certificate = CreateEphemeralCertificate();
        var endPoint = new UnixDomainSocketEndPoint("\0cbbtoolkit-exporter-selftest-" + Guid.NewGuid().ToString("N"));
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(endPoint);
        listener.Listen(1);
        using var clientSocket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        clientSocket.Connect(endPoint);
        using var serverSocket = listener.Accept();
        foreach (var s in new[] { clientSocket, serverSocket })
        {
            s.ReceiveTimeout = s.SendTimeout = (int)s_timeout.TotalMilliseconds; // sync handshakes cannot hang
        }

        using var client = new SslStream(new NetworkStream(clientSocket), false);
        using var server = new SslStream(new NetworkStream(serverSocket), false);

        // Synchronous handshakes on a dedicated thread: no dependence on a possibly starved thread pool.
        Exception? serverError = null;
        var serverThread = new Thread(() => serverError = AuthenticateServer(server, certificate))
        {
            IsBackground = true,
            Name = "cbbtoolkit exporter self-test",
        };
        serverThread.Start();

        var expected = certificate.RawData;
        client.AuthenticateAsClient(new SslClientAuthenticationOptions
        {
            TargetHost = "cbbtoolkit-selftest",
            EnabledSslProtocols = SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetRawCertData().AsSpan().SequenceEqual(expected),
        });
        if (!serverThread.Join(s_timeout))
        {
            throw new TimeoutException("the server end did not finish its handshake in time");
        }

        if (serverError is not null)
        {
            throw new AuthenticationException(serverError.Message, serverError);
        }

        return (TlsKeyingMaterial.ExportChannelBindingUnchecked(client), TlsKeyingMaterial.ExportChannelBindingUnchecked(server));
    }

    [SuppressMessage("Design", "CA1031", Justification = "Runs on its own thread: every failure is handed back, none may escape and end the process.")]
    private static Exception? AuthenticateServer(SslStream server, X509Certificate2 certificate)
    {
        try
        {
            server.AuthenticateAsServer(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                EnabledSslProtocols = SslProtocols.Tls13,
            });
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static X509Certificate2 CreateEphemeralCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=cbbtoolkit-selftest", key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
    }
}
