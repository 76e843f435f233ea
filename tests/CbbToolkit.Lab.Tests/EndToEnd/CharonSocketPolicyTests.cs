using System.Diagnostics;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Xfrm;
using CbbToolkit.Lab.Tests.Infrastructure;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Charon;
using Xunit;

namespace CbbToolkit.Lab.Tests.EndToEnd;

/// <summary>
/// End to end against two real strongSwan charons (raw public keys, a.test and b.test) in a kernel with ESP: per-socket
/// policies with the charons' reqid on a client in A and a listener in B; the first connect makes the kernel ACQUIRE, A's
/// charon negotiates, connect succeeds; ESP carries the data; the resolver names charon's SA pair and, over VICI, the
/// peer's IKE identity and key; a latch on that channel follows what charon does to the SAs.
/// </summary>
/// <remarks>
/// Each test starts its own pair (<see cref="CharonSession.StartAsync"/>, about 1.3 s in User-Mode Linux): a shared pair
/// let one test's clean-up (a terminated IKE SA, closing sockets meeting the trap) race the next test's negotiation.
/// </remarks>
public sealed class CharonSocketPolicyTests
{
    private const int EchoBytes = 256 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TrapAcquire_ConnectsResolvesPeer_TerminatingIkeSaBreaksLatch()
    {
        RequireLab();
        await using var s = await CharonSession.StartAsync(Ct);

        var connectTime = await s.ConnectThroughAcquireAsync(Ct);
        var acquire = await s.NextEventAsync<XfrmAcquireEvent>(
            a => a.Destination.Equals(s.Server.EndPoint.Address) && a.Policy.Templates.Any(t => t.RequestId == CharonSession.RequestId),
            TimeSpan.FromSeconds(5), Ct);
        Assert.Equal(XfrmProtocol.Esp, acquire.Protocol);
        // Measured: the kernel reports a socket policy in an ACQUIRE with direction out (copy_to_user_policy(..., XFRM_POLICY_OUT)).
        Assert.Equal(XfrmPolicyDirection.Out, acquire.Policy.Direction);

        // charon's view: one IKE SA with b.test, one installed transport child SA with our reqid.
        var ike = Assert.Single(await s.Vici.ListIkeSasAsync(cancellationToken: Ct));
        Assert.Equal(("ESTABLISHED", "b.test", "a.test"), (ike.State, ike.RemoteId, ike.LocalId));
        var child = Assert.Single(ike.ChildSas);
        Assert.Equal(("INSTALLED", "TRANSPORT", "ESP", CharonSession.RequestId), (child.State, child.Mode, child.Protocol, child.RequestId));
        var swanctl = s.Pair.A.Swanctl("--list-sas");
        Assert.Contains($"in  {child.InboundSpi:x8}", swanctl, StringComparison.Ordinal);
        Assert.Contains($"out {child.OutboundSpi:x8}", swanctl, StringComparison.Ordinal);

        // ESP carries the data: both SAs of the pair count the echo.
        var before = await s.DumpEspAsync(Ct);
        var echoClock = Stopwatch.StartNew();
        await s.EchoAsync(EchoBytes, Ct);
        var echoTime = echoClock.Elapsed;
        var after = await s.DumpEspAsync(Ct);
        foreach (var spi in new[] { child.OutboundSpi!.Value, child.InboundSpi!.Value })
        {
            var grown = after[spi].Current.Bytes - before[spi].Current.Bytes;
            Assert.True(grown >= EchoBytes, $"SA 0x{spi:x8} counted {grown} bytes for a {EchoBytes}-byte echo");
        }

        // The resolver: charon's SA pair, and the peer from VICI.
        var resolveClock = Stopwatch.StartNew();
        var channel = await s.ResolveProtectedAsync(null, Ct);
        var resolveTime = resolveClock.Elapsed;
        Assert.Equal((child.OutboundSpi.Value, child.InboundSpi.Value), (channel.Outbound.Spi, channel.Inbound.Spi));
        Assert.Equal((CharonSession.RequestId, CharonSession.RequestId), (channel.Outbound.RequestId, channel.Inbound.RequestId));
        Assert.Equal((XfrmProtocol.Esp, XfrmMode.Transport), (channel.Protocol, channel.Mode));
        Assert.True(channel.ProvidesConfidentiality && channel.ProvidesIntegrity);
        Assert.Equal(IpsecPeerStatus.Known, channel.PeerStatus);
        var peer = channel.Peer!;
        Assert.Equal(("b.test", "a.test"), (peer.RemoteId, peer.LocalId));
        Assert.Equal(IpsecAuthenticationMethod.RawPublicKey, peer.AuthenticationMethod);
        Assert.Equal(s.Pair.B.PublicKeyDer(), peer.PublicKey?.ToArray());
        Assert.Equal(s.Server.EndPoint.Address, peer.RemoteHost);
        Assert.Equal(ike.UniqueId, peer.IkeSaUniqueId);

        // The same 5-tuple without the socket's policies: charon installed no SPD policy (policies = no), so nothing covers it.
        var bare = await s.Resolver.ResolveAsync(IpsecFlow.FromSocket(s.Client), socketPolicies: null, Ct);
        Assert.False(bare.IsProtected);
        Assert.Equal(IpsecNotProtectedReason.NoPolicy, bare.Reason);
        Assert.False(string.IsNullOrWhiteSpace(bare.Message));

        // A latch on the channel is ESTABLISHED; terminating the IKE SA takes the SAs away and breaks it.
        var latch = s.Latches.CreateConnectionLatch(channel, peerId: "b.test", socketPolicies: s.Resolver.GetSocketPolicies(s.Client));
        var info = s.Latches.Inquire(latch);
        Assert.Equal(IpsecLatchState.Established, info.State);
        Assert.Equal(child.OutboundSpi.Value, info.Parameters!.Channel.Outbound.Spi);

        var terminateClock = Stopwatch.StartNew();
        await s.Vici.TerminateIkeSaAsync(ike.UniqueId, Ct);
        var terminateTime = terminateClock.Elapsed;
        IpsecLatchAlert? alert;
        do
        {
            alert = await s.NextAlertAsync(TimeSpan.FromSeconds(15), Ct);
            Assert.NotNull(alert);
        }
        while (alert.Handle != latch);

        var alertTime = terminateClock.Elapsed;
        Assert.Equal((IpsecLatchState.Established, IpsecLatchState.Broken), (alert.PreviousState, alert.State));
        Assert.Equal(IpsecError.LatchBroken, Assert.Throws<IpsecException>(() => s.Latches.EnsureEstablished(latch)).Error);

        TestContext.Current.SendDiagnosticMessage(
            $"e2e: pair start {s.Pair.StartTime.TotalSeconds:F2} s; first connect to success {connectTime.TotalSeconds:F2} s; " +
            $"echo {EchoBytes} B {echoTime.TotalMilliseconds:F0} ms; resolve with peer {resolveTime.TotalMilliseconds:F0} ms; " +
            $"terminate {terminateTime.TotalMilliseconds:F0} ms, BROKEN alert after {alertTime.TotalMilliseconds:F0} ms");
        Console.WriteLine($"e2e-numbers: start={s.Pair.StartTime.TotalSeconds:F2}s connect={connectTime.TotalSeconds:F2}s echo={echoTime.TotalMilliseconds:F0}ms " +
                          $"resolve={resolveTime.TotalMilliseconds:F0}ms terminate={terminateTime.TotalMilliseconds:F0}ms broken-alert={alertTime.TotalMilliseconds:F0}ms");
    }

    [Fact]
    public async Task ChildRekey_LatchStaysEstablished_WithCharonsNewSpis()
    {
        RequireLab();
        await using var s = await CharonSession.StartAsync(Ct);
        var connectTime = await s.ConnectThroughAcquireAsync(Ct);
        await s.EchoAsync(EchoBytes, Ct);
        var channel = await s.ResolveProtectedAsync(null, Ct);
        var latch = s.Latches.CreateConnectionLatch(channel, peerId: "b.test", socketPolicies: s.Resolver.GetSocketPolicies(s.Client));
        (uint Outbound, uint Inbound) old = (channel.Outbound.Spi, channel.Inbound.Spi);

        var rekeyClock = Stopwatch.StartNew();
        using var stopEvents = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var events = RecordSaEventsAsync(s, rekeyClock, stopEvents.Token);
        s.Pair.A.Swanctl("--rekey", "--child", "lab");

        // Wait until the latch moved to SPIs other than the old ones.
        IpsecLatchInfo info;
        while ((info = s.Latches.Inquire(latch)).Parameters?.Channel is { } latched && (latched.Outbound.Spi, latched.Inbound.Spi) == old)
        {
            Assert.True(rekeyClock.Elapsed < TimeSpan.FromSeconds(20), $"the latch kept the old SPIs: {info.State} {info.Reason}");
            // The latch stays ESTABLISHED through charon's make-before-break rekey (issue 7: it used to flap to BROKEN).
            Assert.True(info.State == IpsecLatchState.Established, $"latch {info.State} {rekeyClock.Elapsed.TotalMilliseconds:F0} ms into the rekey: {info.Reason}");

            await Task.Delay(100, Ct);
        }

        var moved = rekeyClock.Elapsed;
        Assert.Equal(IpsecLatchState.Established, info.State);
        var now = info.Parameters!.Channel;
        Assert.NotEqual(old.Outbound, now.Outbound.Spi);
        Assert.NotEqual(old.Inbound, now.Inbound.Spi);
        Assert.Equal((CharonSession.RequestId, "b.test"), (now.Outbound.RequestId, info.Parameters.Peer?.RemoteId));

        // The new SPIs are those of the child SA charon now has installed, and ESP carries the data on them.
        var children = (await s.Vici.ListIkeSasAsync(cancellationToken: Ct)).SelectMany(i => i.ChildSas).ToList();
        Assert.Contains(children, c => c.State == "INSTALLED" && c.OutboundSpi == now.Outbound.Spi && c.InboundSpi == now.Inbound.Spi);
        var before = await s.DumpEspAsync(Ct);
        await s.EchoAsync(EchoBytes, Ct);
        var after = await s.DumpEspAsync(Ct);
        foreach (var spi in new[] { now.Outbound.Spi, now.Inbound.Spi })
        {
            var grown = after[spi].Current.Bytes - before[spi].Current.Bytes;
            Assert.True(grown >= EchoBytes, $"rekeyed SA 0x{spi:x8} counted {grown} bytes for a {EchoBytes}-byte echo");
        }

        // A congruent rekey is not a state change: no alert for the latch at all (the SPI move is only logged).
        var alerts = 0;
        while (await s.NextAlertAsync(TimeSpan.FromMilliseconds(200), Ct) is { } alert)
        {
            Assert.False(alert.Handle == latch, $"latch alert during the rekey: {alert}");
            alerts++;
        }

        Assert.Equal(IpsecLatchState.Established, s.Latches.Inquire(latch).State);
        await stopEvents.CancelAsync();
        foreach (var line in await events)
        {
            Console.WriteLine("e2e-rekey-event: " + line);
        }

        Console.WriteLine($"e2e-numbers: pair start={s.Pair.StartTime.TotalSeconds:F2}s connect={connectTime.TotalSeconds:F2}s rekey to latch on new SPIs={moved.TotalMilliseconds:F0}ms alerts={alerts} " +
                          $"(0x{old.Outbound:x8}/0x{old.Inbound:x8} -> 0x{now.Outbound.Spi:x8}/0x{now.Inbound.Spi:x8})");
    }

    // The kernel's SA events on A with their time relative to the rekey command and the kernel's add time (seconds).
    private static async Task<List<string>> RecordSaEventsAsync(CharonSession s, Stopwatch clock, CancellationToken ct)
    {
        var lines = new List<string>();
        try
        {
            while (true)
            {
                if (await s.Monitor.ReadAsync(ct) is XfrmStateEvent { State: { Protocol: XfrmProtocol.Esp } sa } e)
                {
                    var direction = sa.Destination.Equals(s.Server.EndPoint.Address) ? "out" : "in";
                    lines.Add($"{clock.Elapsed.TotalMilliseconds:F0}ms {e.Change} {direction} 0x{sa.Spi:x8} reqid {sa.RequestId} add {sa.Current.AddTime}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return lines;
    }

    private static void RequireLab()
    {
        KernelEsp.Require();
        CharonLab.Require();
    }
}
