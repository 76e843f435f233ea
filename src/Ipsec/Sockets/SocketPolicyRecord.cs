using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Policies;

namespace CbbToolkit.Ipsec.Sockets;

/// <summary>What the library set on a socket: the kernel cannot read a socket policy back (ENOPROTOOPT).</summary>
internal sealed record SocketPolicyRecord(IpsecPolicy Policy, IPEndPoint? Peer, AddressFamily SelectorFamily);
