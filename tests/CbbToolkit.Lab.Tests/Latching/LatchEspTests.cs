using System.Net.Sockets;
using CbbToolkit.Ipsec.Latching;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Lab.Tests.Infrastructure;
using Xunit;
using CbbToolkit.Testing.Iproute2;

namespace CbbToolkit.Lab.Tests.Latching;

/// <summary>
/// The resolver and RFC 5660 latches over real ESP SAs (User-Mode Linux): the cache follows the kernel's SA events in A's
/// namespace while a TCP connection from A to B is carried by the SAs our XfrmClient installed.
/// </summary>
public sealed class LatchEspTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public async Task Resolver_NamesTheSaPairThatCarriesTheConnection(AddressFamily family)
    {
        KernelEsp.Require();
        using var hosts = new TwoHosts();
        var (esp, ab, ba) = await EspChannel.CreateAsync(hosts, family, Ct);
        await using var cache = await XfrmStateCache.StartAsync(hosts.A.Namespace, cancellationToken: Ct);
        var resolver = new IpsecChannelResolver(cache);
        using var connection = await OpenConnection.OpenAsync(hosts, esp.B, Ct);

        var before = IpXfrm.Counters(hosts.A.Namespace);
        await connection.ExchangeAsync(256 * 1024, Ct);
        var after = IpXfrm.Counters(hosts.A.Namespace);
        var r = await resolver.ResolveAsync(connection.Client, Ct);

        Assert.True(r.IsProtected, r.Message);
        Assert.Equal((ab, ba), (r.Channel.Outbound.Spi, r.Channel.Inbound.Spi));
        Assert.Equal(EspChannel.RequestId, r.Channel.Outbound.RequestId);
        Assert.Equal("rfc4106(gcm(aes))", r.Channel.Outbound.AeadAlgorithm);
        Assert.True(r.Channel.IsQopIndeterminate); // the SAs carry no selector
        // The SA the resolver names is the one iproute2 sees carrying the bytes.
        Assert.True(after[ab].Bytes - before[ab].Bytes >= 256 * 1024, $"SA 0x{ab:x8} carried {after[ab].Bytes - before[ab].Bytes} bytes");

        var udp = new IpsecFlow(new System.Net.IPEndPoint(esp.A, 5353), new System.Net.IPEndPoint(esp.B, 5353), ProtocolType.Udp);
        Assert.Equal(IpsecNotProtectedReason.NoPolicy, resolver.ResolveKernel(udp).Reason);
    }

    [Fact]
    public async Task SaDeleted_LatchBroken_WithAlert()
    {
        KernelEsp.Require();
        using var hosts = new TwoHosts();
        var (esp, ab, _) = await EspChannel.CreateAsync(hosts, AddressFamily.InterNetwork, Ct);
        await using var cache = await XfrmStateCache.StartAsync(hosts.A.Namespace, cancellationToken: Ct);
        var resolver = new IpsecChannelResolver(cache);
        await using var latches = new IpsecLatchDatabase(resolver);
        using var connection = await OpenConnection.OpenAsync(hosts, esp.B, Ct);
        var handle = await latches.CreateConnectionLatchAsync(IpsecFlow.FromSocket(connection.Client), cancellationToken: Ct);
        await using var alerts = latches.ReadAlertsAsync(Ct).GetAsyncEnumerator(Ct);

        await esp.DeleteSaAsync(ab, esp.B, Ct, onlyOnA: true);

        var alert = await NextAsync(alerts);
        Assert.Same(handle, alert.Handle);
        Assert.Equal((IpsecLatchState.Established, IpsecLatchState.Broken), (alert.PreviousState, alert.State));
        Assert.Contains("PolicyWithoutSa", alert.Reason, StringComparison.Ordinal);
        Assert.Equal(Ipsec.IpsecError.LatchBroken, Assert.Throws<Ipsec.IpsecException>(() => latches.EnsureEstablished(handle)).Error);
    }

    [Fact]
    public async Task CongruentReplacement_LatchStaysEstablished_OnTheNewSpis_AndTrafficFlows()
    {
        KernelEsp.Require();
        using var hosts = new TwoHosts();
        var (esp, ab, ba) = await EspChannel.CreateAsync(hosts, AddressFamily.InterNetwork, Ct);
        await using var cache = await XfrmStateCache.StartAsync(hosts.A.Namespace, cancellationToken: Ct);
        var resolver = new IpsecChannelResolver(cache);
        await using var latches = new IpsecLatchDatabase(resolver);
        using var connection = await OpenConnection.OpenAsync(hosts, esp.B, Ct);
        var handle = await latches.CreateConnectionLatchAsync(IpsecFlow.FromSocket(connection.Client), cancellationToken: Ct);
        var alerts = new List<IpsecLatchAlert>();
        latches.Alert += (_, a) => { lock (alerts) { alerts.Add(a); } };

        // Make before break, as an IKE daemon rekeys: the new pair first, then the old one goes.
        var (ab2, ba2) = await esp.AddSaPairAsync(Ct);
        await esp.DeleteSaAsync(ab, esp.B, Ct);
        await esp.DeleteSaAsync(ba, esp.A, Ct);
        await WaitAsync(() => latches.Inquire(handle).Parameters!.Channel.Outbound.Spi == ab2, "the latch follows the new SPIs");
        var before = IpXfrm.Counters(hosts.A.Namespace);
        await connection.ExchangeAsync(64 * 1024, Ct);
        var after = IpXfrm.Counters(hosts.A.Namespace);

        var info = latches.Inquire(handle);
        Assert.Equal(IpsecLatchState.Established, info.State);
        Assert.Equal((ab2, ba2), (info.Parameters!.Channel.Outbound.Spi, info.Parameters.Channel.Inbound.Spi));
        Assert.Empty(alerts);
        Assert.True(after[ab2].Bytes - before[ab2].Bytes >= 64 * 1024, "the new outbound SA carries the connection");
    }

    [Fact]
    public async Task IncongruentSaTakesOver_LatchBroken_WithAlert()
    {
        KernelEsp.Require();
        using var hosts = new TwoHosts();
        var (esp, _, _) = await EspChannel.CreateAsync(hosts, AddressFamily.InterNetwork, Ct);
        await using var cache = await XfrmStateCache.StartAsync(hosts.A.Namespace, cancellationToken: Ct);
        var resolver = new IpsecChannelResolver(cache);
        await using var latches = new IpsecLatchDatabase(resolver);
        using var connection = await OpenConnection.OpenAsync(hosts, esp.B, Ct);
        var handle = await latches.CreateConnectionLatchAsync(IpsecFlow.FromSocket(connection.Client), cancellationToken: Ct);
        await using var alerts = latches.ReadAlertsAsync(Ct).GetAsyncEnumerator(Ct);

        // A second later (SA add times are in seconds; the kernel prefers the newest), an A-to-B SA with an AES-256 key.
        await Task.Delay(1100, Ct);
        await esp.AddSaPairAsync(Ct, keyBytes: 36, onlyAToB: true);

        var alert = await NextAsync(alerts);
        Assert.Same(handle, alert.Handle);
        Assert.Equal(IpsecLatchState.Broken, alert.State);
        Assert.Contains("incongruent", alert.Reason, StringComparison.Ordinal);
        Assert.Contains("algorithms", alert.Reason, StringComparison.Ordinal);
    }

    private static async Task<IpsecLatchAlert> NextAsync(IAsyncEnumerator<IpsecLatchAlert> alerts)
    {
        var next = alerts.MoveNextAsync().AsTask();
        Assert.True(await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(20), Ct)) == next && next.Result, "an alert within 20 s");
        return alerts.Current;
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not within 20 s: " + what);
            await Task.Delay(20, Ct);
        }
    }
}
