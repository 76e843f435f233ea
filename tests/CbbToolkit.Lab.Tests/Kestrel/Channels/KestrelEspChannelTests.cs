using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using CbbToolkit.Ipsec.Xfrm;
using CbbToolkit.Lab.Tests.Infrastructure;
using CbbToolkit.Lab.Tests.IpsecBindings;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Charon;
using Xunit;

namespace CbbToolkit.Lab.Tests.Kestrel.Channels;

/// <summary>
/// Kestrel's connection middleware over real ESP (two charons, <see cref="EspKestrel"/>): an IKE-authenticated peer is
/// verified on a <c>RequireVerifiedIpsecChannel</c> endpoint with the ipsec-sa-binding iproute2's view of the SAs hashes
/// to; a flow no SA protects is closed without a response; deleting the SA or terminating the IKE SA aborts an open
/// keep-alive connection (the delays are printed: docs/performance.md section 11); a child rekey aborts nothing.
/// </summary>
public sealed class KestrelEspChannelTests
{
    private const int Runs = 5;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IkePeer_VerifiedOnStrictEndpoint_SaBindingMatchesIproute2()
    {
        Require();
        await using var server = await EspKestrel.StartAsync(ct: Ct);
        using var connection = await server.ConnectFromAAsync(Ct);

        var (status, body) = await connection.GetAsync("/whoami", Ct);
        var who = JsonDocument.Parse(body).RootElement;

        Assert.Equal(200, status);
        Assert.True(who.GetProperty("verified").GetBoolean(), body);
        Assert.Equal("a.test", who.GetProperty("peerId").GetString());
        Assert.Equal(JsonValueKind.Null, who.GetProperty("missingBinding").ValueKind);
        var outbound = who.GetProperty("outboundSpi").GetUInt32();
        var inbound = who.GetProperty("inboundSpi").GetUInt32();
        var reference = Convert.ToHexStringLower(IpXfrmSaBinding.Compute(server.Pair.B.Namespace, outbound, inbound));
        Assert.Equal(reference, who.GetProperty("saBinding").GetString());
        Assert.Equal(reference, Convert.ToHexStringLower(IpXfrmSaBinding.Compute(server.Pair.A.Namespace, inbound, outbound)));
    }

    [Fact]
    public async Task UnprotectedFlow_ClosedWithoutResponse()
    {
        Require();
        await using var server = await EspKestrel.StartAsync(ct: Ct);
        // From B itself to B's address: no policy, no SA.
        var socket = TcpEcho.Open(server.HostB, AddressFamily.InterNetwork);
        using var connection = new RawHttpConnection(socket);
        var bytes = 0;
        try
        {
            await socket.ConnectAsync(new System.Net.IPEndPoint(server.Pair.B.Address, EspKestrel.Port), Ct);
            await connection.SendGetAsync("/whoami", Ct);
            (_, bytes) = await connection.WaitForEndAsync(Ct);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown)
        {
            // Kestrel accepted and refused it before the client finished connecting or sending: no response either.
        }

        Assert.Equal(0, bytes);
        var refused = Assert.Single(server.Aborts.Refused);
        Assert.Contains("(NotProtected)", refused, StringComparison.Ordinal);
        // Control: the same server answers the protected peer.
        using var protectedConnection = await server.ConnectFromAAsync(Ct);
        Assert.Equal(200, (await protectedConnection.GetAsync("/whoami", Ct)).Status);
    }

    [Fact]
    public async Task SaDeleted_InFlightRequestAborted_NothingMoreSent_DelayMeasured()
    {
        Require();
        await using var server = await EspKestrel.StartAsync(ct: Ct);
        using var kernelB = XfrmClient.Open(server.Pair.B.Namespace);
        var clientSeen = new List<double>();
        var serverAbort = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            using var connection = await server.ConnectFromAAsync(Ct);
            var who = JsonDocument.Parse((await connection.GetAsync("/whoami", Ct)).Body).RootElement;
            Assert.True(who.GetProperty("verified").GetBoolean());
            var inbound = who.GetProperty("inboundSpi").GetUInt32();
            var held = server.Holds.Next();
            await connection.SendGetAsync("/hold", Ct);
            await held.WaitAsync(TimeSpan.FromSeconds(10), Ct);
            var abortsBefore = server.Aborts.Events.Count;
            var end = connection.WaitForEndAsync(Ct);

            // Only the SA into B: B's answers (the abort's FIN or reset) still reach A over the SA out of B.
            var removed = Stopwatch.GetTimestamp();
            await kernelB.DeleteStateAsync(server.Pair.B.Address, inbound, XfrmProtocol.Esp, Ct);
            var (at, bytes) = await end.WaitAsync(TimeSpan.FromSeconds(10), Ct);

            Assert.Equal(0, bytes);
            clientSeen.Add(Stopwatch.GetElapsedTime(removed, at).TotalMilliseconds);
            var abort = await WaitForAbortAsync(server, abortsBefore);
            serverAbort.Add(Stopwatch.GetElapsedTime(removed, abort).TotalMilliseconds);
            // The next run negotiates a fresh pair: drop the half-deleted one.
            server.Pair.A.Swanctl("--terminate", "--ike", "lab");
        }

        Report("xfrm state delete", clientSeen, serverAbort);
    }

    [Fact]
    public async Task IkeTerminated_KeepAliveConnectionAborted_NextRequestFails_DelayMeasured()
    {
        Require();
        await using var server = await EspKestrel.StartAsync(ct: Ct);
        var serverAbort = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            using var connection = await server.ConnectFromAAsync(Ct);
            Assert.Equal(200, (await connection.GetAsync("/whoami", Ct)).Status);
            var abortsBefore = server.Aborts.Events.Count;

            var removed = Stopwatch.GetTimestamp();
            server.Pair.A.Swanctl("--terminate", "--ike", "lab");
            var abort = await WaitForAbortAsync(server, abortsBefore);
            serverAbort.Add(Stopwatch.GetElapsedTime(removed, abort).TotalMilliseconds);
            // The next request on the old connection gets no answer: a new pair carries it to B, whose socket is gone.
            var failed = await NextRequestFailsAsync(connection);
            Assert.True(failed, "the request after the IKE SA was terminated got an answer");
        }

        Report("swanctl --terminate --ike (swanctl start to abort)", null, serverAbort);
    }

    [Fact]
    public async Task ChildRekey_LiveKeepAliveConnectionsKeepServing()
    {
        Require();
        await using var server = await EspKestrel.StartAsync(ct: Ct);
        var connections = new List<RawHttpConnection>();
        try
        {
            var ids = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var c = await server.ConnectFromAAsync(Ct);
                connections.Add(c);
                ids.Add(JsonDocument.Parse((await c.GetAsync("/whoami", Ct)).Body).RootElement.GetProperty("connection").GetString()!);
            }

            var oldSpi = JsonDocument.Parse((await connections[0].GetAsync("/whoami", Ct)).Body).RootElement.GetProperty("inboundSpi").GetUInt32();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var served = 0;
            var traffic = Task.WhenAll(connections.Select(async (c, i) =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var (status, body) = await c.GetAsync("/whoami", Ct);
                    Assert.Equal(200, status);
                    Assert.Equal(ids[i], JsonDocument.Parse(body).RootElement.GetProperty("connection").GetString());
                    Interlocked.Increment(ref served);
                }
            }));

            server.Pair.A.Swanctl("--rekey", "--child", "lab");
            var rekeyed = await WaitForNewInboundSaAsync(server, oldSpi);
            var afterRekey = Volatile.Read(ref served);
            await Task.Delay(TimeSpan.FromSeconds(2), Ct);
            stop.Cancel();
            await traffic;

            Assert.True(rekeyed, "the child SA was not rekeyed within 20 s");
            Assert.True(served > afterRekey + 10, $"requests stopped flowing after the rekey ({afterRekey} -> {served})");
            Assert.Empty(server.Aborts.Events);
            // A connection made after the rekey is verified on the new pair.
            using var fresh = await server.ConnectFromAAsync(Ct);
            var who = JsonDocument.Parse((await fresh.GetAsync("/whoami", Ct)).Body).RootElement;
            Assert.True(who.GetProperty("verified").GetBoolean());
            Assert.NotEqual(oldSpi, who.GetProperty("inboundSpi").GetUInt32());
        }
        finally
        {
            connections.ForEach(c => c.Dispose());
        }
    }

    private static async Task<bool> WaitForNewInboundSaAsync(EspKestrel server, uint oldSpi)
    {
        using var kernelB = XfrmClient.Open(server.Pair.B.Namespace);
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 20;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var states = await kernelB.ListStatesAsync(Ct);
            if (states.Any(s => s.Protocol == XfrmProtocol.Esp && s.Spi != oldSpi && s.Destination.Equals(server.Pair.B.Address))
                && states.All(s => s.Spi != oldSpi))
            {
                return true;
            }

            await Task.Delay(50, Ct);
        }

        return false;
    }

    // The time of the one 4120 event logged after the first `before` ones (it may be logged just after the client saw the end).
    private static async Task<long> WaitForAbortAsync(EspKestrel server, int before)
    {
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 10);
        while (server.Aborts.Events.Count == before && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(2, Ct);
        }

        await Task.Delay(100, Ct); // a second abort for the same SA removal would show up here
        return Assert.Single(server.Aborts.Events.Skip(before)).At;
    }

    private static async Task<bool> NextRequestFailsAsync(RawHttpConnection connection)
    {
        try
        {
            await connection.SendGetAsync("/whoami", Ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            var (_, bytes) = await connection.WaitForEndAsync(timeout.Token);
            return bytes == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private static void Report(string what, List<double>? clientSeen, List<double> serverAbort)
    {
        static string Stats(List<double> v)
        {
            var sorted = v.Order().ToArray();
            var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
            return $"median {median:0.0} ms, max {sorted[^1]:0.0} ms (runs: {string.Join(", ", v.Select(d => d.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))})";
        }

        Console.WriteLine($"kestrel abort delay, {what}: server abort (event 4120) {Stats(serverAbort)}" +
            (clientSeen is null ? "" : $"; client sees the end {Stats(clientSeen)}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"{what}: server {Stats(serverAbort)}" + (clientSeen is null ? "" : $"; client {Stats(clientSeen)}"));
    }

    private static void Require()
    {
        KernelEsp.Require();
        CharonLab.Require();
    }
}
