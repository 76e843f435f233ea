using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Sockets;
using CbbToolkit.Lab.Tests.Infrastructure;

namespace CbbToolkit.Lab.Tests.EndToEnd;

/// <summary>
/// A TCP echo server in a host's namespace whose listening socket carries a per-socket IPsec policy (accepted sockets
/// inherit it in the kernel). It echoes every connection until the client shuts down its side.
/// </summary>
internal sealed class PolicyEchoServer : IDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public PolicyEchoServer(LabHost host, IpsecPolicy policy)
    {
        _listener = TcpEcho.Open(host, AddressFamily.InterNetwork);
        _listener.SetIpsecPolicy(policy);
        _listener.Bind(new IPEndPoint(host.Address4, 0));
        _listener.Listen();
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _accepting = AcceptAsync(_stop.Token);
    }

    public IPEndPoint EndPoint { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // cancelled or the listener was closed under it: that is how it stops
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var accepted = await _listener.AcceptAsync(token);
            _ = EchoAsync(accepted, token);
        }
    }

    private static async Task EchoAsync(Socket socket, CancellationToken token)
    {
        using (socket)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                int n;
                while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, token)) > 0)
                {
                    for (var sent = 0; sent < n;)
                    {
                        sent += await socket.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None, token);
                    }
                }

                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // the client went away or the server stops: the client side asserts what it received
            }
        }
    }
}
