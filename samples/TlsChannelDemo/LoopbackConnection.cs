using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Tls;
using CbbToolkit.Ipsec.Policies;

namespace TlsChannelDemo;

/// <summary>
/// One real TLS connection over loopback (SslStream on both ends, OpenSSL underneath): each end runs the converter on
/// its own stream, so the two ChannelInfo values are computed independently.
/// </summary>
internal static class LoopbackConnection
{
    public static async Task<(ChannelInfo Client, ChannelInfo Server, string Path)> RunAsync(
        SslProtocols version, X509Certificate2 serverCertificate, X509Certificate2 clientCertificate, CancellationToken cancel)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var serverEnd = (IPEndPoint)listener.LocalEndPoint!;

        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptAsync(cancel);
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = serverCertificate,
                EnabledSslProtocols = version,
                ClientCertificateRequired = true,
                // Mutual TLS, each end pinned to the other's exact certificate: nothing else is accepted.
                RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetRawCertData().AsSpan().SequenceEqual(clientCertificate.RawData),
            }, cancel);
            var info = TlsChannelInfoConverter.FromSslStream(tls, IpsecPolicy.Default);
            await tls.ShutdownAsync();
            return info;
        }, cancel);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(serverEnd, cancel);
        var path = $"{client.LocalEndPoint} -> {serverEnd}";
        await using var clientTls = new SslStream(new NetworkStream(client, ownsSocket: false));
        await clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = version,
            ClientCertificates = [clientCertificate],
            RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetRawCertData().AsSpan().SequenceEqual(serverCertificate.RawData),
        }, cancel);
        var clientInfo = TlsChannelInfoConverter.FromSslStream(clientTls, IpsecPolicy.Default);
        var serverInfo = await server;
        return (clientInfo, serverInfo, path);
    }
}
