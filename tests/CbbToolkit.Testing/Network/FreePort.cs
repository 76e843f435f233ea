using System.Net;
using System.Net.Sockets;

namespace CbbToolkit.Testing.Network;

/// <summary>Loopback ports for tests.</summary>
public static class FreePort
{
    /// <summary>A port that was free a moment ago (for programs that cannot listen on port 0 and report it).</summary>
    public static int Next()
    {
        using var socket = BoundNotListening();
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>A socket bound to a loopback port without listening: connecting to that port is refused, and no one else can take it.</summary>
    public static Socket BoundNotListening()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
