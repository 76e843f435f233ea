using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace CbbToolkit.Benchmarks.Support;

/// <summary>A client and a server <see cref="SslStream"/>, handshaken with each other over TCP on 127.0.0.1.</summary>
internal sealed class LoopbackTls : IAsyncDisposable
{
    private LoopbackTls(SslStream client, SslStream server)
    {
        Client = client;
        Server = server;
    }

    public SslStream Client { get; }

    public SslStream Server { get; }

    /// <summary>Connects TCP, then runs both ends of one full handshake.</summary>
    public static async Task<LoopbackTls> ConnectAsync(X509Certificate2 serverCertificate, SslProtocols protocols)
    {
        var (clientTcp, serverTcp) = await ConnectTcpAsync().ConfigureAwait(false);
        var client = new SslStream(clientTcp, leaveInnerStreamOpen: false);
        var server = new SslStream(serverTcp, leaveInnerStreamOpen: false);
        try
        {
            await HandshakeAsync(client, server, serverCertificate, protocols).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new LoopbackTls(client, server);
    }

    /// <summary>Both ends of a handshake; the client trusts exactly <paramref name="serverCertificate"/>.</summary>
    public static Task HandshakeAsync(SslStream client, SslStream server, X509Certificate2 serverCertificate, SslProtocols protocols)
    {
        var expected = serverCertificate.RawDataMemory;
        return Task.WhenAll(
            client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = protocols,
                RemoteCertificateValidationCallback = (_, c, _, _) =>
                    c is X509Certificate2 seen && seen.RawDataMemory.Span.SequenceEqual(expected.Span),
            }),
            server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = serverCertificate,
                EnabledSslProtocols = protocols,
            }));
    }

    /// <summary>A connected pair of TCP streams on 127.0.0.1.</summary>
    public static async Task<(NetworkStream Client, NetworkStream Server)> ConnectTcpAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accept = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!).ConfigureAwait(false);
        var server = await accept.ConfigureAwait(false);
        server.NoDelay = true;
        return (new NetworkStream(client, ownsSocket: true), new NetworkStream(server, ownsSocket: true));
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
    }
}
