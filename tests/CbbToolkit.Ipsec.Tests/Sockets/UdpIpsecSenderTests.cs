using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Sockets;
using CbbToolkit.Ipsec.Tests.Xfrm;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;
using CbbToolkit.Testing.Namespaces;

namespace CbbToolkit.Ipsec.Tests.Sockets;

/// <summary>Per-datagram policy (per destination, applied before each send) on the host kernel.</summary>
public sealed class UdpIpsecSenderTests
{
    private static readonly IpsecPolicy Bypass = new()
    {
        PrivacyProtected = ProtectionRequirement.Disable,
        IntegrityProtected = ProtectionRequirement.Disable,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendTo_NoSa_TryAgain_AcquireAndPolicyNarrowedToThatDestination()
    {
        using var ns = ScratchNamespace.Create();
        using var monitor = XfrmMonitor.Open(ns.Name);
        using var socket = Udp(ns);
        var sender = new UdpIpsecSender(socket);
        var remote = new IPEndPoint(IPAddress.Loopback, 4999);

        var e = Assert.Throws<IpsecException>(() => sender.SendTo([1, 2, 3], remote, new IpsecPolicy { RequestId = 12 }));

        Assert.Equal(IpsecError.TryAgain, e.Error);
        var acquire = await SocketIpsecExtensionsTests.NextOf<XfrmAcquireEvent>(monitor);
        Assert.Equal((IPAddress.Loopback, ProtocolType.Udp, (ushort)4999, 12u),
            (acquire.Selector.Destination, acquire.Selector.Protocol, acquire.Selector.DestinationPort, acquire.Policy.Templates.Single().RequestId));
        var shown = Assert.Single(ns.XfrmPolicies());
        Assert.Equal(("socket out", "0.0.0.0/0", "127.0.0.1/32", "udp", (int?)4999),
            (shown.Direction, shown.Selector.Source, shown.Selector.Destination, shown.Selector.Protocol, shown.Selector.DestinationPort));
    }

    [Fact]
    public async Task SendTo_PolicyFollowsEachDatagramsDestination()
    {
        using var ns = ScratchNamespace.Create();
        using var receiverA = UdpBound(ns);
        using var receiverB = UdpBound(ns);
        using var socket = Udp(ns);
        var sender = new UdpIpsecSender(socket);
        var a = (IPEndPoint)receiverA.LocalEndPoint!;
        var b = (IPEndPoint)receiverB.LocalEndPoint!;

        Assert.Equal(3, sender.SendTo([1, 1, 1], a, Bypass));
        Assert.Equal(IpsecError.TryAgain, Assert.Throws<IpsecException>(() => sender.SendTo([2], b, IpsecPolicy.Default)).Error);
        Assert.Equal(2, await sender.SendToAsync(new byte[] { 3, 3 }, a, Bypass, Ct));

        var buffer = new byte[16];
        Assert.Equal(3, await receiverA.ReceiveAsync(buffer, Ct));
        Assert.Equal(2, await receiverA.ReceiveAsync(buffer, Ct));
        Assert.Equal(0, receiverB.Available); // the datagram to B was refused by the kernel, not sent in the clear
    }

    [Fact]
    public async Task InboundPolicy_PlainDatagramsDroppedByKernel()
    {
        using var ns = ScratchNamespace.Create();
        using var receiver = UdpBound(ns);
        var guarded = new UdpIpsecSender(receiver);
        guarded.SetInboundPolicy(new IpsecPolicy { RequestId = 1 });
        using var plain = Udp(ns);
        var before = Counter(ns, "XfrmInTmplMismatch") + Counter(ns, "XfrmInNoStates");

        await plain.SendToAsync(new byte[] { 9 }, receiver.LocalEndPoint!, Ct);

        Assert.True(await Eventually(() => Counter(ns, "XfrmInTmplMismatch") + Counter(ns, "XfrmInNoStates") > before),
            "the kernel must count the unprotected datagram as a policy mismatch");
        Assert.Equal(0, receiver.Available);
        Assert.Equal(new IpsecPolicy { RequestId = 1 }, guarded.InboundPolicy);
        Assert.Equal("socket in", Assert.Single(ns.XfrmPolicies()).Direction);
    }

    [Fact]
    public void DualStackOrStreamSocket_ArgumentException()
    {
        using var dual = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
        using var stream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var dualError = Assert.Throws<ArgumentException>(() => new UdpIpsecSender(dual));
        var streamError = Assert.Throws<ArgumentException>(() => new UdpIpsecSender(stream));
        Assert.Equal(("socket", "socket"), (dualError.ParamName, streamError.ParamName));
        Assert.Contains("DualMode = false", dualError.Message, StringComparison.Ordinal);
        Assert.Contains("InterNetwork Stream", streamError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SendTo_OtherFamily_ArgumentExceptionBeforeAnySyscall()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var sender = new UdpIpsecSender(socket);

        var e = Assert.Throws<ArgumentException>(() => sender.SendTo([1], new IPEndPoint(IPAddress.IPv6Loopback, 4999), IpsecPolicy.Default));

        Assert.Equal("remote", e.ParamName);
        Assert.Contains("InterNetwork socket cannot send to [::1]:4999", e.Message, StringComparison.Ordinal);
    }

    private static Socket Udp(ScratchNamespace ns) => SocketIpsecExtensionsTests.NewSocket(ns, AddressFamily.InterNetwork, SocketType.Dgram);

    private static Socket UdpBound(ScratchNamespace ns)
    {
        var socket = Udp(ns);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>A counter of /proc/net/xfrm_stat as the namespace sees it.</summary>
    private static long Counter(ScratchNamespace ns, string name) =>
        long.Parse(ns.Exec("cat", "/proc/net/xfrm_stat")
            .Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "\t", StringComparison.Ordinal))
            .Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    // Polls, bounded: /proc/net/xfrm_stat counters change with no event to wait on.
    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(20, Ct);
        }

        return false;
    }
}
