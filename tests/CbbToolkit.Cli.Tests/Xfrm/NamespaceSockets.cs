using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Namespaces;

namespace CbbToolkit.Cli.Tests.Xfrm;

/// <summary>Sockets created inside a test's namespace (a socket keeps the namespace it was created in).</summary>
internal static class NamespaceSockets
{
    public static Socket Tcp(TestNamespace ns, AddressFamily family) =>
        NetworkNamespace.Run(ns.Name, () => new Socket(family, SocketType.Stream, ProtocolType.Tcp));

    public static Socket Listen(TestNamespace ns, IPAddress address) => NetworkNamespace.Run(ns.Name, () =>
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen();
        return listener;
    });
}
