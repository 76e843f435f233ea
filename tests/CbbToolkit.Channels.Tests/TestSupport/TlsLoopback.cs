using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace CbbToolkit.Channels.Tests.TestSupport;

/// <summary>Two SslStreams, client and server, handshaken with each other over TCP on 127.0.0.1.</summary>
internal sealed class TlsLoopback : IDisposable
{
    private TlsLoopback(SslStream client, SslStream server)
    {
        Client = client;
        Server = server;
    }

    public SslStream Client { get; }

    public SslStream Server { get; }

    public static async Task<TlsLoopback> ConnectAsync(X509Certificate2 serverCertificate, SslProtocols protocols, X509Certificate2? clientCertificate = null)
    {
        var (clientTcp, serverTcp) = await ConnectTcpAsync();
        var client = new SslStream(clientTcp, false);
        var server = new SslStream(serverTcp, false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await Task.WhenAll(
                client.AuthenticateAsClientAsync(ClientOptions(serverCertificate, protocols, clientCertificate), timeout.Token),
                server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = serverCertificate,
                    EnabledSslProtocols = protocols,
                    ClientCertificateRequired = clientCertificate is not null,
                    RemoteCertificateValidationCallback = (_, c, _, _) => clientCertificate is null || SameCertificate(c, clientCertificate),
                }, timeout.Token));
        }
        catch
        {
            await client.DisposeAsync();
            await server.DisposeAsync();
            throw;
        }

        return new TlsLoopback(client, server);
    }

    /// <summary>Client options that trust exactly the expected server certificate.</summary>
    public static SslClientAuthenticationOptions ClientOptions(X509Certificate expectedServer, SslProtocols protocols, X509Certificate2? clientCertificate = null) => new()
    {
        TargetHost = "localhost",
        EnabledSslProtocols = protocols,
        RemoteCertificateValidationCallback = (_, c, _, _) => SameCertificate(c, expectedServer),
        ClientCertificates = clientCertificate is null ? null : [clientCertificate],
    };

    public static bool SameCertificate(X509Certificate? a, X509Certificate b) =>
        a is not null && a.GetRawCertData().AsSpan().SequenceEqual(b.GetRawCertData());

    /// <summary>A connected pair of TCP streams on 127.0.0.1.</summary>
    public static async Task<(NetworkStream Client, NetworkStream Server)> ConnectTcpAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accept = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await accept;
        return (new NetworkStream(client, ownsSocket: true), new NetworkStream(server, ownsSocket: true));
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
