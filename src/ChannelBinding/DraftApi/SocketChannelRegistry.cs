using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace CbbToolkit.Channels.DraftApi;

/// <summary>The channels applications require of their sockets, keyed weakly: an entry lives as long as its Socket object.</summary>
internal static class SocketChannelRegistry
{
    private static readonly ConditionalWeakTable<Socket, ChannelInfo> Expected = new();

    public static void Set(Socket socket, ChannelInfo expected) => Expected.AddOrUpdate(socket, expected);

    public static ChannelInfo? Get(Socket socket) => Expected.TryGetValue(socket, out var info) ? info : null;
}
