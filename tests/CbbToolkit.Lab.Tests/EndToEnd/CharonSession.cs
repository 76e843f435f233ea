using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Policies;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Sockets;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Ipsec.Xfrm;
using CbbToolkit.Lab.Tests.Infrastructure;
using CbbToolkit.Testing.Charon;
using Xunit;

namespace CbbToolkit.Lab.Tests.EndToEnd;

/// <summary>
/// One test's own <see cref="CharonPair"/> (<see cref="Options"/>: raw ECDSA P-256 keys, ids a.test and b.test, child
/// "lab" in transport mode with kernel-netlink, reqid <see cref="RequestId"/> on both sides, <c>policies = no</c> so that
/// per-socket policies decide what is protected, <c>start_action = trap</c> on A so an ACQUIRE for the reqid makes A
/// negotiate (kernel-lab.md section 3), traffic selectors the host pair, TCP only), seen from host A: an XFRM monitor, a state cache and a resolver with a
/// VICI peer source on A's charon, a latch database (alerts queued), an echo server with the socket policy in B and a
/// client socket with the same policy in A, opened in that order so nothing they should see is missed.
/// </summary>
internal sealed class CharonSession : IAsyncDisposable
{
    /// <summary>The reqid of the child SA on both sides, and of the sockets' policy templates.</summary>
    public const uint RequestId = 7;

    private readonly Channel<IpsecLatchAlert> _alerts = Channel.CreateUnbounded<IpsecLatchAlert>();

    private CharonSession(CharonPair pair, XfrmMonitor monitor, XfrmStateCache cache, ViciClient vici, ViciPeerSource peers)
    {
        Pair = pair;
        Monitor = monitor;
        Cache = cache;
        Vici = vici;
        Peers = peers;
        Resolver = new IpsecChannelResolver(cache, peers);
        Latches = new IpsecLatchDatabase(Resolver);
        Latches.Alert += (_, alert) => _alerts.Writer.TryWrite(alert);
        Policy = new IpsecPolicy { RequestId = RequestId };
        Server = new PolicyEchoServer(Host(pair.B), Policy);
        Client = TcpEcho.Open(Host(pair.A), AddressFamily.InterNetwork);
        Client.SetIpsecPolicy(Policy);
    }

    /// <summary>The pair every end-to-end test starts: A 10.99.0.1 and fd00:99::1, B .2 and ::2.</summary>
    public static CharonPairOptions Options { get; } = new()
    {
        Mode = CharonMode.Transport,
        Kernel = CharonKernel.Netlink,
        StartActionA = CharonStartAction.Trap,
        RequestId = RequestId,
        InstallPolicies = false,
        TrafficSelectorProtocol = "tcp",
        AddressA = IPAddress.Parse("10.99.0.1"),
        AddressB = IPAddress.Parse("10.99.0.2"),
        Address6A = IPAddress.Parse("fd00:99::1"),
        Address6B = IPAddress.Parse("fd00:99::2"),
        NamespacePrefix = "cbb-e2e-",
    };

    public CharonPair Pair { get; }

    /// <summary>A's namespace and addresses, as the lab's socket helpers take them.</summary>
    public LabHost HostA => Host(Pair.A);

    /// <summary>B's namespace and addresses.</summary>
    public LabHost HostB => Host(Pair.B);

    public XfrmMonitor Monitor { get; }

    public XfrmStateCache Cache { get; }

    public ViciClient Vici { get; }

    public ViciPeerSource Peers { get; }

    public IpsecChannelResolver Resolver { get; }

    public IpsecLatchDatabase Latches { get; }

    public IpsecPolicy Policy { get; }

    public PolicyEchoServer Server { get; }

    public Socket Client { get; }

    /// <summary>
    /// Starts a fresh <see cref="CharonPair"/> for this test alone and opens everything (not yet connected). The session
    /// owns the pair: nothing (SAs, a trap re-negotiating, closing sockets) is left over from another test.
    /// </summary>
    public static async Task<CharonSession> StartAsync(CancellationToken ct)
    {
        var pair = await CharonPair.StartAsync(Options, ct);
        var opened = new List<IAsyncDisposable> { pair };
        try
        {
            var vici = new ViciClient(pair.A.Uri);
            opened.Add(vici);
            var monitor = XfrmMonitor.Open(pair.A.Namespace);
            opened.Add(new AsyncDisposer(monitor));
            var cache = await XfrmStateCache.StartAsync(pair.A.Namespace, cancellationToken: ct);
            opened.Add(cache);
            Assert.Equal(XfrmStateCacheStatus.Synchronized, cache.Status);
            var peers = new ViciPeerSource(vici);
            opened.Add(peers);
            await peers.StartAsync(ct); // following charon's events before the first lookup, as the sessions assume
            return new CharonSession(pair, monitor, cache, vici, peers);
        }
        catch
        {
            opened.Reverse();
            foreach (var o in opened)
            {
                await o.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>
    /// The first connect fails with TryAgain (no SA: the kernel sent an ACQUIRE), then connects while charon negotiates.
    /// Returns the time from the first connect to success.
    /// </summary>
    public async Task<TimeSpan> ConnectThroughAcquireAsync(CancellationToken ct)
    {
        // A fresh pair holds no SA yet, so the first attempt must find none.
        var clock = Stopwatch.StartNew();
        var first = await Assert.ThrowsAsync<IpsecException>(() => Client.ConnectIpsecAsync(Server.EndPoint, ct));
        Assert.Equal(IpsecError.TryAgain, first.Error);

        try
        {
            await Client.ConnectWithKeyManagementAsync(Server.EndPoint, TimeSpan.FromSeconds(45), ct);
        }
        catch (IpsecException e)
        {
            Assert.Fail($"{e.Message}\ncharon A:\n{Pair.A.LogTail()}\ncharon B:\n{Pair.B.LogTail()}");
        }

        return clock.Elapsed;
    }

    /// <summary>Reads monitor events until one matches, within <paramref name="limit"/>.</summary>
    public async Task<T> NextEventAsync<T>(Func<T, bool> match, TimeSpan limit, CancellationToken ct)
        where T : XfrmEvent
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        var seen = new List<string>();
        try
        {
            while (true)
            {
                var e = await Monitor.ReadAsync(timeout.Token);
                if (e is T wanted && match(wanted))
                {
                    return wanted;
                }

                seen.Add(e.GetType().Name);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Assert.Fail($"no matching {typeof(T).Name} within {limit.TotalSeconds} s; saw: {string.Join(", ", seen)}");
            throw;
        }
    }

    /// <summary>Sends <paramref name="size"/> random bytes over the client socket and checks that the same come back.</summary>
    public async Task EchoAsync(int size, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var payload = RandomNumberGenerator.GetBytes(size);
        var send = Task.Run(async () =>
        {
            for (var sent = 0; sent < size;)
            {
                sent += await Client.SendAsync(payload.AsMemory(sent), SocketFlags.None, timeout.Token);
            }
        }, timeout.Token);
        var received = new byte[size];
        for (var total = 0; total < size;)
        {
            var n = await Client.ReceiveAsync(received.AsMemory(total), SocketFlags.None, timeout.Token);
            Assert.True(n > 0, $"the echo ended after {total} of {size} bytes");
            total += n;
        }

        await send;
        Assert.True(payload.AsSpan().SequenceEqual(received), "the echo differs from what was sent");
    }

    /// <summary>Resolves the client's connection until the cache shows it protected (the cache follows events).</summary>
    public async Task<IpsecChannel> ResolveProtectedAsync(Func<IpsecChannel, bool>? until, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var resolution = await Resolver.ResolveAsync(Client, ct);
            if (resolution.Channel is { } channel && channel.Peer is not null && (until is null || until(channel)))
            {
                return channel;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the resolver did not find the channel: {resolution}");
            await Task.Delay(100, ct);
        }
    }

    /// <summary>The next latch alert within <paramref name="limit"/>, or null.</summary>
    public async Task<IpsecLatchAlert?> NextAlertAsync(TimeSpan limit, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        try
        {
            return await _alerts.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>A's ESP SAs by SPI, dumped with our own XFRM client.</summary>
    public async Task<Dictionary<uint, XfrmState>> DumpEspAsync(CancellationToken ct)
    {
        using var xfrm = XfrmClient.Open(Pair.A.Namespace);
        return (await xfrm.ListStatesAsync(ct)).Where(s => s.Protocol == XfrmProtocol.Esp && s.Spi != 0).ToDictionary(s => s.Spi);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Server.Dispose();
        await Latches.DisposeAsync();
        await Peers.DisposeAsync();
        await Cache.DisposeAsync();
        Monitor.Dispose();
        await Vici.DisposeAsync();
        await Pair.DisposeAsync();
    }

    // The lab's view of a charon's namespace, for the echo server and client.
    private static LabHost Host(CharonPeer peer) => new(peer.Namespace, peer.Interface, peer.Address, peer.Address6!);

    private sealed class AsyncDisposer(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
