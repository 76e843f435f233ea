using System.Net;
using System.Net.Sockets;
using System.Text;
using CbbToolkit.Ipsec.Namespaces;

namespace CbbToolkit.Lab.Tests.CbbServer;

/// <summary>One HTTP/1.1 request on a fresh TCP connection from a namespace, reading until the server closes or time runs out.</summary>
internal static class RawHttp
{
    /// <summary>What came back: the bytes before the server closed, and whether it closed (FIN or RST) within the limit.</summary>
    public sealed record Outcome(string Received, bool Closed, bool Reset);

    public static async Task<Outcome> GetAsync(string ns, IPAddress source, IPEndPoint server, string path, TimeSpan limit, CancellationToken ct)
    {
        using var socket = NetworkNamespace.Run(ns, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        socket.Bind(new IPEndPoint(source, 0));
        await socket.ConnectAsync(server, ct);
        var request = $"GET {path} HTTP/1.1\r\nHost: {server}\r\nConnection: keep-alive\r\n\r\n";
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, ct);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown)
        {
            return new Outcome("", Closed: true, Reset: true); // closed before the request went out
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (n == 0)
                {
                    return new Outcome(Encoding.ASCII.GetString(received.ToArray()), Closed: true, Reset: false);
                }

                received.Write(buffer, 0, n);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return new Outcome(Encoding.ASCII.GetString(received.ToArray()), Closed: true, Reset: true);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Outcome(Encoding.ASCII.GetString(received.ToArray()), Closed: false, Reset: false);
        }
    }
}
