using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CbbToolkit.Ipsec.Namespaces;
using Xunit;

namespace CbbToolkit.Lab.Tests.Infrastructure;

/// <summary>A TCP echo between sockets that live in different network namespaces.</summary>
internal static class TcpEcho
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>A TCP socket created inside <paramref name="host"/>'s namespace (it stays there for its whole life).</summary>
    public static Socket Open(LabHost host, AddressFamily family) =>
        NetworkNamespace.Run(host.Namespace, () => new Socket(family, SocketType.Stream, ProtocolType.Tcp));

    /// <summary>
    /// Connects <paramref name="client"/> to the listening socket <paramref name="listener"/> (bound to
    /// <paramref name="server"/>), sends <paramref name="size"/> random bytes, reads the echo back and checks it.
    /// </summary>
    public static async Task RunAsync(Socket listener, Socket client, IPEndPoint server, int size)
    {
        var started = Stopwatch.GetTimestamp();
        using var cts = new CancellationTokenSource(Limit);
        var token = cts.Token;
        try
        {
            var echo = EchoOneAsync(listener, token);
            await client.ConnectAsync(server, token);
            var payload = RandomNumberGenerator.GetBytes(size);
            var send = SendAllAsync(client, payload, token);
            var received = await ReceiveAllAsync(client, size, token);
            await Task.WhenAll(send, echo);
            Assert.True(payload.AsSpan().SequenceEqual(received), "the echo differs from what was sent");
            if (Tool.Trace)
            {
                Console.Error.WriteLine($"lab-trace: {Stopwatch.GetElapsedTime(started).TotalMilliseconds,6:F0} ms TCP echo of {size} bytes to {server}");
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw new TimeoutException($"TCP echo of {size} bytes to {server} did not finish in {Limit.TotalSeconds} s");
        }
    }

    private static async Task EchoOneAsync(Socket listener, CancellationToken token)
    {
        using var accepted = await listener.AcceptAsync(token);
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await accepted.ReceiveAsync(buffer, SocketFlags.None, token)) > 0)
        {
            await SendAllAsync(accepted, buffer.AsMemory(0, n), token, shutdown: false);
        }

        accepted.Shutdown(SocketShutdown.Send);
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken token, bool shutdown = true)
    {
        while (!data.IsEmpty)
        {
            data = data[await socket.SendAsync(data, SocketFlags.None, token)..];
        }

        if (shutdown)
        {
            socket.Shutdown(SocketShutdown.Send);
        }
    }

    private static async Task<byte[]> ReceiveAllAsync(Socket socket, int size, CancellationToken token)
    {
        var received = new byte[size];
        var total = 0;
        while (total < size)
        {
            var n = await socket.ReceiveAsync(received.AsMemory(total), SocketFlags.None, token);
            if (n == 0)
            {
                throw new IOException($"the echo ended after {total} of {size} bytes");
            }

            total += n;
        }

        Assert.Equal(0, await socket.ReceiveAsync(new byte[1], SocketFlags.None, token)); // then a clean end of stream
        return received;
    }
}
