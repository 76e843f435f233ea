using CbbToolkit.Testing.Capabilities;
using System.Net;
using System.Net.Sockets;
using CbbToolkit.Ipsec.Namespaces;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Sockets;
using CbbToolkit.Ipsec.Tests.Timing;
using CbbToolkit.Ipsec.Tests.Xfrm;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;
using CbbToolkit.Testing.Iproute2;
using CbbToolkit.Testing.Namespaces;

namespace CbbToolkit.Ipsec.Tests.Sockets;

/// <summary>Per-socket policy against the host kernel, in a fresh namespace per test; <c>ip</c> shows what the kernel holds.</summary>
public sealed class SocketIpsecExtensionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SetPolicy_BothDirectionsInKernelWhileSocketLives()
    {
        using var ns = ScratchNamespace.Create();
        using var client = XfrmClient.Open(ns.Name);
        var socket = NewSocket(ns, AddressFamily.InterNetwork);
        socket.SetIpsecPolicy(new IpsecPolicy { RequestId = 21 });

        var policies = await client.ListPoliciesAsync(Ct);
        Assert.Equal([XfrmPolicyDirection.SocketIn, XfrmPolicyDirection.SocketOut], policies.Select(p => p.Direction).Order());
        Assert.All(policies, p => Assert.Equal(21u, p.Templates.Single().RequestId));
        Assert.Equal(["socket in", "socket out"], ns.XfrmPolicies().Select(v => v.Direction).Order());

        socket.Dispose();
        Assert.True(await Eventually(async () => (await client.ListPoliciesAsync(Ct)).Count == 0), "closing the socket must free its policies");
    }

    [Fact]
    public async Task GetPolicy_ReturnsWhatWasSet_ClearRemovesItFromKernel()
    {
        using var ns = ScratchNamespace.Create();
        using var client = XfrmClient.Open(ns.Name);
        using var socket = NewSocket(ns, AddressFamily.InterNetwork);
        var policy = new IpsecPolicy { RequestId = 3, IsBtnsStandalone = true, Level = IpsecLevel.Use };
        Assert.Null(socket.GetIpsecPolicy());

        socket.SetIpsecPolicy(policy);
        Assert.Equal(policy, socket.GetIpsecPolicy());

        socket.ClearIpsecPolicy();
        Assert.Null(socket.GetIpsecPolicy());
        Assert.Empty(await client.ListPoliciesAsync(Ct));
    }

    [Fact]
    public void SetPolicy_WithoutCapNetAdmin_PermissionDenied()
    {
        using var ns = ScratchNamespace.Create();
        using var socket = NewSocket(ns, AddressFamily.InterNetwork);
        var e = WithoutCapability.Run(WithoutCapability.NetAdmin,
            () => Assert.Throws<IpsecException>(() => socket.SetIpsecPolicy(IpsecPolicy.Default)));
        Assert.Equal(IpsecError.PermissionDenied, e.Error);
        Assert.Contains("needs CAP_NET_ADMIN in this network namespace", e.Message, StringComparison.Ordinal);
        Assert.Null(socket.GetIpsecPolicy());

        socket.SetIpsecPolicy(IpsecPolicy.Default); // the same thread-less call succeeds with the capability
        Assert.NotNull(socket.GetIpsecPolicy());
    }

    public static TheoryData<string, IpsecPolicy, string, string> Translations => new()
    {
        // name, policy, expected "socket out" templates, expected "socket in" templates (as ip prints: proto/mode/reqid/level/src/dst)
        { "default", IpsecPolicy.Default, "esp/transport/0/required/0.0.0.0/0.0.0.0", "esp/transport/0/required/0.0.0.0/0.0.0.0" },
        { "use", new IpsecPolicy { Level = IpsecLevel.Use, RequestId = 4 }, "esp/transport/4/use/0.0.0.0/0.0.0.0", "esp/transport/4/use/0.0.0.0/0.0.0.0" },
        { "integrity only", new IpsecPolicy { PrivacyProtected = ProtectionRequirement.Disable }, "ah/transport/0/required/0.0.0.0/0.0.0.0", "ah/transport/0/required/0.0.0.0/0.0.0.0" },
        { "bypass", new IpsecPolicy { PrivacyProtected = ProtectionRequirement.Disable, IntegrityProtected = ProtectionRequirement.Disable }, "", "" },
        { "ipcomp", new IpsecPolicy { IsCompressionAvailable = true, RequestId = 8 },
            "comp/transport/8/required/0.0.0.0/0.0.0.0 esp/transport/8/required/0.0.0.0/0.0.0.0",
            "comp/transport/8/use/0.0.0.0/0.0.0.0 esp/transport/8/required/0.0.0.0/0.0.0.0" },
        { "tunnel", new IpsecPolicy { UsesTunnelMode = true, RequestId = 2 }, "esp/tunnel/2/required/0.0.0.0/127.0.0.9", "esp/tunnel/2/required/127.0.0.9/0.0.0.0" },
        { "tunnel ipcomp", new IpsecPolicy { UsesTunnelMode = true, IsCompressionAvailable = true },
            "comp/tunnel/0/required/0.0.0.0/127.0.0.9 esp/transport/0/required/0.0.0.0/0.0.0.0",
            "comp/tunnel/0/use/127.0.0.9/0.0.0.0 esp/transport/0/required/0.0.0.0/0.0.0.0" },
        { "btns flags", new IpsecPolicy { IsBtnsStandalone = true, RequireChannelBinding = true, PolicyName = "x" },
            "esp/transport/0/required/0.0.0.0/0.0.0.0", "esp/transport/0/required/0.0.0.0/0.0.0.0" },
    };

    [Theory]
    [MemberData(nameof(Translations))]
    public void SetPolicy_KernelHoldsDocumentedTemplates(string name, IpsecPolicy policy, string expectedOut, string expectedIn)
    {
        using var ns = ScratchNamespace.Create();
        using var socket = NewSocket(ns, AddressFamily.InterNetwork);
        socket.SetIpsecPolicy(policy with { Priority = 9 }, new IPEndPoint(IPAddress.Parse("127.0.0.9"), 80));

        var shown = ns.XfrmPolicies();
        Assert.True(shown.Count == 2, name);
        Assert.All(shown, v => Assert.Equal((9u, "allow", "0.0.0.0/0", "0.0.0.0/0"), (v.Priority, v.Action, v.Selector.Source, v.Selector.Destination)));
        Assert.Equal(expectedOut, Templates(shown.Single(v => v.Direction == "socket out")));
        Assert.Equal(expectedIn, Templates(shown.Single(v => v.Direction == "socket in")));
    }

    [Fact]
    public void SetPolicy_TunnelWithoutPeerOrOptionalOutboundTunnel_ArgumentException()
    {
        using var ns = ScratchNamespace.Create();
        using var socket = NewSocket(ns, AddressFamily.InterNetwork);
        var noPeer = Assert.Throws<ArgumentException>(() => socket.SetIpsecPolicy(new IpsecPolicy { UsesTunnelMode = true }));
        var optional = Assert.Throws<ArgumentException>(() => socket.SetIpsecPolicy(new IpsecPolicy { UsesTunnelMode = true, Level = IpsecLevel.Use },
            new IPEndPoint(IPAddress.Loopback, 1)));
        var otherFamily = Assert.Throws<ArgumentException>(() => socket.SetIpsecPolicy(IpsecPolicy.Default, new IPEndPoint(IPAddress.IPv6Loopback, 1)));
        Assert.Equal(("peer", "policy", "peer"), (noPeer.ParamName, optional.ParamName, otherFamily.ParamName));
        Assert.Contains("needs the peer's address", noPeer.Message, StringComparison.Ordinal);
        Assert.Contains("level use", optional.Message, StringComparison.Ordinal);
        Assert.Null(socket.GetIpsecPolicy()); // nothing was set
    }

    [Fact]
    public async Task Connect_NoSa_TryAgain_AndMonitorSeesAcquireForTheFlow()
    {
        using var ns = ScratchNamespace.Create();
        using var monitor = XfrmMonitor.Open(ns.Name);
        using var listener = NetworkNamespace.Run(ns.Name, () => XfrmClientStateTests.Listen(IPAddress.Loopback));
        using var socket = NewSocket(ns, AddressFamily.InterNetwork);
        socket.SetIpsecPolicy(new IpsecPolicy { RequestId = 31 });
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        var e = await Assert.ThrowsAsync<IpsecException>(() => socket.ConnectIpsecAsync(listener.LocalEndPoint!, Ct));
        Assert.Equal(IpsecError.TryAgain, e.Error);
        Assert.Equal(11, Assert.IsType<SocketException>(e.InnerException).NativeErrorCode);

        var acquire = await NextOf<XfrmAcquireEvent>(monitor);
        Assert.Equal((IPAddress.Loopback, IPAddress.Loopback, ProtocolType.Tcp, (ushort)port),
            (acquire.Selector.Source, acquire.Selector.Destination, acquire.Selector.Protocol, acquire.Selector.DestinationPort));
        Assert.Equal((byte)32, acquire.Selector.DestinationPrefixLength);
        Assert.Equal(XfrmProtocol.Esp, acquire.Protocol);
        Assert.Equal(31u, acquire.Policy.Templates.Single().RequestId);

        // The larval SA the ACQUIRE left behind goes with a flush, which the monitor reports too.
        ns.IpLine("xfrm state flush proto esp");
        Assert.Equal(new XfrmFlushEvent(false, XfrmProtocol.Esp), await NextOf<XfrmFlushEvent>(monitor));
    }

    [Fact]
    public async Task ConnectWithKeyManagement_NoKeyManager_RetriesOnTheBackoff_ThenTimedOut()
    {
        // The kernel answers every connect with EAGAIN (no IKE daemon); the retry delays run on a fake clock, which
        // the test advances each time the helper starts a delay: the give-up point is exact and nothing sleeps.
        using var ns = ScratchNamespace.Create();
        using var listener = NetworkNamespace.Run(ns.Name, () => XfrmClientStateTests.Listen(IPAddress.Loopback));
        using var socket = NewSocket(ns, AddressFamily.InterNetwork);
        socket.SetIpsecPolicy(new IpsecPolicy { RequestId = 6 });
        var time = new ObservedTimeProvider();

        var connect = socket.ConnectWithKeyManagementAsync(listener.LocalEndPoint!, TimeSpan.FromSeconds(1), time, Ct);
        var delays = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var due = await time.NextTimerAsync(Ct);
            delays.Add(due.TotalMilliseconds);
            time.Advance(due);
        }

        var e = await Assert.ThrowsAsync<IpsecException>(() => connect);
        Assert.Equal([50, 100, 200, 400, 250], delays); // doubling from 50 ms, the last one cut to the 1 s deadline
        Assert.Equal(IpsecError.TimedOut, e.Error);
        Assert.Contains("Key management set up no SA", e.Message, StringComparison.Ordinal);
        Assert.Contains("within 1 s (6 connect attempts", e.Message, StringComparison.Ordinal);
        Assert.Contains("reqid 6", e.Message, StringComparison.Ordinal);
        Assert.Equal(IpsecError.TryAgain, Assert.IsType<IpsecException>(e.InnerException).Error);
    }

    [Fact]
    public async Task ConnectWithKeyManagement_RetriesUntilTheKernelLetsTheConnectionThrough()
    {
        // No ESP on the host, so the stand-in "key manager" answers the ACQUIRE by lifting the requirement; what is
        // tested is that the helper keeps retrying on EAGAIN and then connects on the same socket. The UML suite
        // (tests/CbbToolkit.Lab.Tests) covers a real IKE daemon installing SAs.
        using var ns = ScratchNamespace.Create();
        using var monitor = XfrmMonitor.Open(ns.Name);
        using var listener = NetworkNamespace.Run(ns.Name, () => XfrmClientStateTests.Listen(IPAddress.Loopback));
        using var socket = NewSocket(ns, AddressFamily.InterNetwork);
        socket.SetIpsecPolicy(new IpsecPolicy { RequestId = 44 });
        var keyManager = Task.Run(async () =>
        {
            var acquire = await NextOf<XfrmAcquireEvent>(monitor);
            socket.ClearIpsecPolicy();
            return acquire;
        }, Ct);

        await socket.ConnectWithKeyManagementAsync(listener.LocalEndPoint!, TimeSpan.FromSeconds(10), Ct);

        Assert.True(socket.Connected);
        Assert.Equal(44u, (await keyManager).Policy.Templates.Single().RequestId);
    }

    [Fact]
    public async Task Ipv6Socket_PolicyHoldsConnectTo6()
    {
        using var ns = ScratchNamespace.Create();
        using var listener = NetworkNamespace.Run(ns.Name, () => XfrmClientStateTests.Listen(IPAddress.IPv6Loopback));
        using var socket = NewSocket(ns, AddressFamily.InterNetworkV6);
        socket.DualMode = false;
        socket.SetIpsecPolicy(IpsecPolicy.Default);

        Assert.All(ns.XfrmPolicies(), v => Assert.Equal(("::/0", "::/0"), (v.Selector.Source, v.Selector.Destination)));
        var e = await Assert.ThrowsAsync<IpsecException>(() => socket.ConnectIpsecAsync(listener.LocalEndPoint!, Ct));
        Assert.Equal(IpsecError.TryAgain, e.Error);
    }

    [Fact]
    public void DualStackSocket_WithoutPeer_NotSupported()
    {
        using var ns = ScratchNamespace.Create();
        using var socket = NewSocket(ns, AddressFamily.InterNetworkV6);
        socket.DualMode = true;
        var e = Assert.Throws<IpsecException>(() => socket.SetIpsecPolicy(IpsecPolicy.Default));
        Assert.Equal(IpsecError.NotSupported, e.Error);
        Assert.Contains("dual-stack", e.Message, StringComparison.Ordinal);
        Assert.Empty(ns.XfrmPolicies());
    }

    [Theory]
    [InlineData("127.0.0.1", "0.0.0.0/0")]
    [InlineData("::ffff:127.0.0.1", "0.0.0.0/0")]
    [InlineData("::1", "::/0")]
    public async Task DualStackSocket_PeerPicksSelectorFamily_AndTheConnectionIsHeld(string peer, string selector)
    {
        using var ns = ScratchNamespace.Create();
        var address = IPAddress.Parse(peer);
        var listenOn = address.IsIPv4MappedToIPv6 ? IPAddress.Loopback : address;
        using var listener = NetworkNamespace.Run(ns.Name, () => XfrmClientStateTests.Listen(listenOn));
        using var socket = NewSocket(ns, AddressFamily.InterNetworkV6);
        socket.DualMode = true;
        var remote = new IPEndPoint(address, ((IPEndPoint)listener.LocalEndPoint!).Port);

        socket.SetIpsecPolicy(IpsecPolicy.Default, remote);

        Assert.All(ns.XfrmPolicies(), v => Assert.Equal(selector, v.Selector.Destination));
        var e = await Assert.ThrowsAsync<IpsecException>(() => socket.ConnectIpsecAsync(remote, Ct));
        Assert.Equal(IpsecError.TryAgain, e.Error);
    }

    [Fact]
    public async Task KernelFact_Ipv6SelectorOnDualStackSocket_LetsIpv4ThroughInTheClear()
    {
        // Why a dual-stack socket without a peer is refused: the kernel skips a socket policy of the other family.
        using var ns = ScratchNamespace.Create();
        using var listener = NetworkNamespace.Run(ns.Name, () => XfrmClientStateTests.Listen(IPAddress.Loopback));
        using var socket = NewSocket(ns, AddressFamily.InterNetworkV6);
        socket.DualMode = true;
        socket.SetIpsecPolicy(IpsecPolicy.Default, new IPEndPoint(IPAddress.IPv6Loopback, 1)); // an IPv6 selector

        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), ((IPEndPoint)listener.LocalEndPoint!).Port), Ct);
        Assert.True(socket.Connected);
    }

    internal static Socket NewSocket(ScratchNamespace ns, AddressFamily family, SocketType type = SocketType.Stream) =>
        NetworkNamespace.Run(ns.Name, () => new Socket(family, type, type == SocketType.Stream ? ProtocolType.Tcp : ProtocolType.Udp));

    internal static async Task<T> NextOf<T>(XfrmMonitor monitor)
        where T : XfrmEvent
    {
        while (true)
        {
            if (await XfrmMonitorTests.Next(monitor) is T wanted)
            {
                return wanted;
            }
        }
    }

    private static string Templates(IpXfrmPolicy view) =>
        string.Join(" ", view.Templates.Select(t => $"{t.Protocol}/{t.Mode}/{t.RequestId}/{t.Level}/{t.Source}/{t.Destination}"));

    // Polls the kernel, bounded at 10 s: it frees a closed socket's policies a moment later (deferred), and the test
    // has no event to wait on for that, only the state itself.
    private static async Task<bool> Eventually(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 500; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(20, Ct);
        }

        return false;
    }
}
