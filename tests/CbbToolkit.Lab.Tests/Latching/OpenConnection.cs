using System.Net;
using System.Net.Sockets;
using CbbToolkit.Lab.Tests.Infrastructure;

namespace CbbToolkit.Lab.Tests.Latching;

/// <summary>A TCP connection from A to B that stays open, so a latch can follow it; echoes what A sends.</summary>
internal sealed class OpenConnection : IDisposable
{
    private readonly Socket _listener;
    private readonly Socket _server;

    private OpenConnection(Socket listener, Socket server, Socket client)
    {
        _listener = listener;
        _server = server;
        Client = client;
    }

    /// <summary>A's socket.</summary>
    public Socket Client { get; }

    public static async Task<OpenConnection> OpenAsync(TwoHosts hosts, IPAddress b, CancellationToken ct)
    {
        var family = b.AddressFamily;
        var listener = TcpEcho.Open(hosts.B, family);
        var client = TcpEcho.Open(hosts.A, family);
        try
        {
            listener.Bind(new IPEndPoint(b, 0));
            listener.Listen();
            var accept = listener.AcceptAsync(ct).AsTask();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await client.ConnectAsync(listener.LocalEndPoint!, timeout.Token);
            var server = await accept.WaitAsync(timeout.Token);
            return new OpenConnection(listener, server, client);
        }
        catch
        {
            listener.Dispose();
            client.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="size"/> bytes from A and reads them back on B (30 s limit).</summary>
    public async Task ExchangeAsync(int size, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var data = new byte[size];
        Random.Shared.NextBytes(data);
        var send = SendAllAsync(data, timeout.Token);
        var buffer = new byte[size];
        var total = 0;
        while (total < size)
        {
            var n = await _server.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                throw new IOException($"the connection ended after {total} of {size} bytes");
            }

            total += n;
        }

        await send;
        if (!buffer.AsSpan().SequenceEqual(data))
        {
            throw new IOException("B received other bytes than A sent");
        }
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            data = data[await Client.SendAsync(data, SocketFlags.None, ct)..];
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        _server.Dispose();
        _listener.Dispose();
    }
}
