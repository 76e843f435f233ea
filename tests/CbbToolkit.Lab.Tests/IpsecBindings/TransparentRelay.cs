using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CbbToolkit.Lab.Tests.Infrastructure;
using Xunit;

namespace CbbToolkit.Lab.Tests.IpsecBindings;

/// <summary>
/// An active man in the middle at the IPsec layer, transparent down to the ports: A (10.99.0.1) is joined to the relay's
/// namespace RA, which owns B's address 10.99.0.2; the relay's namespace RB owns A's address 10.99.0.1 and is joined to
/// B (10.99.0.2). Each leg has its own ESP SA pair (same SPIs on both legs, the relay's choice). A connects to
/// 10.99.0.2:P and lands in RA; the relay connects from RB, bound to A's own address and port, to B's 10.99.0.2:P, and
/// copies bytes both ways, so A and B see the very same 5-tuple, SPIs, addresses and algorithms - only the keys differ.
/// </summary>
internal sealed class TransparentRelay : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    private TransparentRelay(TwoHosts left, TwoHosts right)
    {
        Left = left;
        Right = right;
        _owned.Add(right);
        _owned.Add(left);
    }

    /// <summary>A and the relay's RA.</summary>
    public TwoHosts Left { get; }

    /// <summary>The relay's RB and B.</summary>
    public TwoHosts Right { get; }

    public LabHost A => Left.A;

    public LabHost RelayA => Left.B;

    public LabHost RelayB => Right.A;

    public LabHost B => Right.B;

    /// <summary>A's socket, connected (through the relay) to B.</summary>
    public Socket Client { get; private set; } = null!;

    /// <summary>B's accepted socket.</summary>
    public Socket Server { get; private set; } = null!;

    /// <summary>The relay's socket towards B (its flow is what RB's kernel protects).</summary>
    public Socket RelayToB { get; private set; } = null!;

    /// <summary>Builds the four namespaces, installs each leg's SA pair and policies, and connects A through the relay to B.</summary>
    public static async Task<TransparentRelay> StartAsync(KeyedSaPair leg, byte[][] leftKeys, byte[][] rightKeys, CancellationToken ct)
    {
        var left = new TwoHosts();
        TwoHosts? right = null;
        try
        {
            right = new TwoHosts();
        }
        catch
        {
            left.Dispose();
            throw;
        }

        var relay = new TransparentRelay(left, right);
        try
        {
            await leg.AddAsync([relay.A, relay.RelayA], leftKeys[0], leftKeys[1], ct);
            await leg.AddAsync([relay.RelayB, relay.B], rightKeys[0], rightKeys[1], ct);
            foreach (var (host, local) in new[] { (relay.A, leg.A), (relay.RelayA, leg.B), (relay.RelayB, leg.A), (relay.B, leg.B) })
            {
                await leg.AddPoliciesAsync(host, local, ct);
            }

            await relay.ConnectAsync(leg.A, leg.B, ct);
            return relay;
        }
        catch
        {
            relay.Dispose();
            throw;
        }
    }

    /// <summary>A sends <paramref name="size"/> random bytes; B echoes them; A checks what came back.</summary>
    public async Task EchoAsync(int size, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var payload = RandomNumberGenerator.GetBytes(size);
        var echo = CopyAsync(Server, Server, size, timeout.Token);
        var send = SendAllAsync(Client, payload, timeout.Token);
        var received = new byte[size];
        for (var total = 0; total < size;)
        {
            var n = await Client.ReceiveAsync(received.AsMemory(total), SocketFlags.None, timeout.Token);
            Assert.True(n > 0, $"the relayed echo ended after {total} of {size} bytes");
            total += n;
        }

        await Task.WhenAll(send, echo);
        Assert.True(payload.AsSpan().SequenceEqual(received), "the relayed echo differs from what A sent");
    }

    public void Dispose()
    {
        foreach (var owned in _owned.AsEnumerable().Reverse())
        {
            owned.Dispose();
        }
    }

    private async Task ConnectAsync(IPAddress a, IPAddress b, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var listenerB = Own(TcpEcho.Open(B, a.AddressFamily));
        listenerB.Bind(new IPEndPoint(b, 0));
        listenerB.Listen();
        var port = ((IPEndPoint)listenerB.LocalEndPoint!).Port;
        var listenerR = Own(TcpEcho.Open(RelayA, a.AddressFamily));
        listenerR.Bind(new IPEndPoint(b, port)); // B's address and port, in the relay
        listenerR.Listen();

        Client = Own(TcpEcho.Open(A, a.AddressFamily));
        var acceptR = listenerR.AcceptAsync(timeout.Token).AsTask();
        await Client.ConnectAsync(new IPEndPoint(b, port), timeout.Token);
        var fromA = Own(await acceptR);

        RelayToB = Own(TcpEcho.Open(RelayB, a.AddressFamily));
        RelayToB.Bind(new IPEndPoint(a, ((IPEndPoint)Client.LocalEndPoint!).Port)); // A's address and port, towards B
        var acceptB = listenerB.AcceptAsync(timeout.Token).AsTask();
        await RelayToB.ConnectAsync(new IPEndPoint(b, port), timeout.Token);
        Server = Own(await acceptB);

        _ = PumpAsync(fromA, RelayToB);
        _ = PumpAsync(RelayToB, fromA);
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    // Copies until the source ends or a socket closes under it (the relay stops with the test).
    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = await from.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                await SendAllAsync(to, buffer.AsMemory(0, n), CancellationToken.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task CopyAsync(Socket from, Socket to, int size, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        for (var total = 0; total < size;)
        {
            var n = await from.ReceiveAsync(buffer, SocketFlags.None, ct);
            Assert.True(n > 0, $"B's side ended after {total} of {size} bytes");
            await SendAllAsync(to, buffer.AsMemory(0, n), ct);
            total += n;
        }
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            data = data[await socket.SendAsync(data, SocketFlags.None, ct)..];
        }
    }
}
