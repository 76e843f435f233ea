using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Lab.Tests.Infrastructure;

namespace CbbToolkit.Lab.Tests.IpsecBindings;

/// <summary>
/// Three namespaces with an address-translating router between two hosts: A (10.1.0.1, default route via the router)
/// - N (10.1.0.254 | 10.2.0.254, forwarding) - B (10.2.0.1). N's stateless NAT (tc act_nat on its B-side interface)
/// rewrites A's source address to 10.2.0.254 on the way to B and that destination back to 10.1.0.1 on the way back, so
/// B knows A only as 10.2.0.254. Ports are left alone. A and B each get a UDP socket on port 4500 with UDP_ENCAP_ESPINUDP,
/// which the kernel needs to take ESP-in-UDP in. Dispose deletes the namespaces.
/// </summary>
internal sealed class NatHosts : IDisposable
{
    public static readonly IPAddress A = IPAddress.Parse("10.1.0.1");
    public static readonly IPAddress B = IPAddress.Parse("10.2.0.1");
    public static readonly IPAddress Translated = IPAddress.Parse("10.2.0.254"); // A as B sees it

    private readonly List<Socket> _encapsulation = [];

    public NatHosts()
    {
        var tag = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        (HostA, Router, HostB) = ($"cbb-na-{tag}", $"cbb-nn-{tag}", $"cbb-nb-{tag}");
        try
        {
            TwoHosts.Ip(["-batch", "-"],
                $"netns add {HostA}\nnetns add {Router}\nnetns add {HostB}\n" +
                $"link add va netns {HostA} type veth peer name na netns {Router}\n" +
                $"link add vb netns {HostB} type veth peer name nb netns {Router}\n");
            TwoHosts.Ip(["-n", HostA, "-batch", "-"], "link set lo up\naddr add 10.1.0.1/24 dev va\nlink set va up\nroute add default via 10.1.0.254\n");
            TwoHosts.Ip(["-n", HostB, "-batch", "-"], "link set lo up\naddr add 10.2.0.1/24 dev vb\nlink set vb up\n");
            TwoHosts.Ip(["-n", Router, "-batch", "-"],
                "link set lo up\naddr add 10.1.0.254/24 dev na\naddr add 10.2.0.254/24 dev nb\nlink set na up\nlink set nb up\n");
            NetworkNamespace.Run(Router, () => { File.WriteAllText("/proc/sys/net/ipv4/ip_forward", "1"); return true; }); // sysctl of the caller's netns
            Tool.Run("tc", ["-n", Router, "-batch", "-"],
                "qdisc add dev nb clsact\n" +
                $"filter add dev nb egress matchall action nat egress {A}/32 {Translated}\n" +
                $"filter add dev nb ingress matchall action nat ingress {Translated}/32 {A}\n");
            _encapsulation.Add(EncapsulationSocket(HostA));
            _encapsulation.Add(EncapsulationSocket(HostB));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string HostA { get; }

    public string Router { get; }

    public string HostB { get; }

    public void Dispose()
    {
        foreach (var socket in _encapsulation)
        {
            socket.Dispose();
        }

        Tool.TryRun("ip", ["-force", "-batch", "-"], $"netns del {HostA}\nnetns del {Router}\nnetns del {HostB}\n");
    }

    // UDP_ENCAP (100) at SOL_UDP (17) = UDP_ENCAP_ESPINUDP (2): the kernel hands ESP arriving on this port to XFRM.
    private static Socket EncapsulationSocket(string ns) => NetworkNamespace.Run(ns, () =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.SetRawSocketOption(17, 100, BitConverter.GetBytes(2));
        socket.Bind(new IPEndPoint(IPAddress.Any, 4500));
        return socket;
    });
}
