using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace CbbToolkit.Ipsec.Sockets;

/// <summary>
/// The policies the library has set, keyed weakly by socket: an entry lives exactly as long as its Socket object,
/// so closed and collected sockets leave nothing behind.
/// </summary>
internal static class SocketPolicyRegistry
{
    private static readonly ConditionalWeakTable<Socket, SocketPolicyRecord> Entries = new();

    public static void Set(Socket socket, SocketPolicyRecord record) => Entries.AddOrUpdate(socket, record);

    public static SocketPolicyRecord? Get(Socket socket) => Entries.TryGetValue(socket, out var record) ? record : null;

    public static void Remove(Socket socket) => Entries.Remove(socket);
}
