using System.Net;
using System.Net.Sockets;

namespace CbbToolkit.Lab.Tests.Infrastructure;

/// <summary>One end of <see cref="TwoHosts"/>: a network namespace with one veth interface and its addresses.</summary>
internal sealed record LabHost(string Namespace, string Interface, IPAddress Address4, IPAddress Address6)
{
    /// <summary>This host's address of the given family.</summary>
    public IPAddress Address(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? Address6 : Address4;
}
