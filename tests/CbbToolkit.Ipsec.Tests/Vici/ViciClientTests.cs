using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Tests.Timing;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Ipsec.Vici.Protocol;
using CsCheck;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Vici;

/// <summary>The client's protocol handling against a scripted peer: the error paths a real charon never takes.</summary>
public sealed class ViciClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ViciClient Client(ScriptedDaemon daemon, int commandTimeoutMs = 10_000) =>
        new(new ViciClientOptions { SocketPath = daemon.Uri, CommandTimeout = TimeSpan.FromMilliseconds(commandTimeoutMs), ReconnectDelay = TimeSpan.FromMilliseconds(20) });

    [Fact]
    public async Task Request_SendsTheDocumentedBytes_AndDecodesTheResponse()
    {
        byte[]? seen = null;
        await using var daemon = new ScriptedDaemon(async (d, _) =>
        {
            seen = await d.ReceiveRawAsync();
            await d.SendAsync(ViciPacketType.CmdResponse, message: new ViciMessage().Add("daemon", "charon").Add("version", "5.9.8"));
            await d.WaitForCloseAsync();
        });
        await using var client = Client(daemon);

        var version = await client.GetVersionAsync(Ct);

        Assert.Equal("5.9.8", version.Version);
        Assert.Equal(Convert.FromHexString("00000009" + "00" + "07" + "76657273696f6e"), seen);
    }

    [Fact]
    public async Task SuccessNo_CommandExceptionWithErrmsg_ConnectionKept()
    {
        await using var daemon = new ScriptedDaemon(async (d, _) =>
        {
            await d.ReceiveAsync();
            await d.SendAsync(ViciPacketType.CmdResponse, message: new ViciMessage().Add("success", "no").Add("errmsg", "no config named 'x'"));
            await d.ReceiveAsync();
            await d.SendAsync(ViciPacketType.CmdUnknown);
            await d.WaitForCloseAsync();
        });
        await using var client = Client(daemon);

        var failed = await Assert.ThrowsAsync<ViciCommandException>(() => client.InitiateAsync("x", cancellationToken: Ct));
        Assert.Equal("no config named 'x'", failed.DaemonMessage);
        Assert.Equal("initiate", failed.Command);

        var unknown = await Assert.ThrowsAsync<ViciCommandException>(() => client.RequestAsync("frobnicate", null, Ct));
        Assert.Equal(IpsecError.NotSupported, unknown.Error);
        Assert.Equal(1, daemon.Connections);
    }

    [Theory]
    [InlineData("00080001" + "01", "segment length 524289")] // over 512 KB
    [InlineData("00000000", "segment length 0")]
    [InlineData("00000001" + "09", "unknown packet type 9")]
    [InlineData("00000003" + "01" + "0301", "remain")]
    public async Task MalformedAnswer_BadMessage_ThenANewConnection(string hex, string what)
    {
        await using var daemon = new ScriptedDaemon(async (d, n) =>
        {
            await d.ReceiveAsync();
            if (n == 1)
            {
                await d.SendRawAsync(Convert.FromHexString(hex));
            }
            else
            {
                await d.SendAsync(ViciPacketType.CmdResponse, message: new ViciMessage().Add("daemon", "charon").Add("version", "5.9.8"));
            }

            await d.WaitForCloseAsync();
        });
        await using var client = Client(daemon);

        var e = await Assert.ThrowsAsync<ViciProtocolException>(() => client.GetVersionAsync(Ct));
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
        Assert.Equal("5.9.8", (await client.GetVersionAsync(Ct)).Version);
        Assert.Equal(2, daemon.Connections);
    }

    [Fact]
    public async Task Silence_TimedOut_ThenANewConnection()
    {
        await using var daemon = new ScriptedDaemon(async (d, n) =>
        {
            await d.ReceiveAsync();
            if (n > 1)
            {
                await d.SendAsync(ViciPacketType.CmdResponse);
            }

            await d.WaitForCloseAsync();
        });
        var time = new ObservedTimeProvider();
        var commandTimeout = TimeSpan.FromHours(1);
        await using var client = new ViciClient(new ViciClientOptions { SocketPath = daemon.Uri, CommandTimeout = commandTimeout }, timeProvider: time);

        var request = client.RequestAsync("stats", null, Ct);
        // Each step of a command has its own bound on the client's clock: the turn, the send, then the answer.
        for (var i = 0; i < 3; i++)
        {
            await time.WaitForTimerAsync(commandTimeout, Ct);
        }

        time.Advance(commandTimeout - TimeSpan.FromTicks(1));
        Assert.False(request.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));

        var e = await Assert.ThrowsAsync<IpsecException>(() => request.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(IpsecError.TimedOut, e.Error);
        Assert.Contains("within 3600 s", e.Message, StringComparison.Ordinal);
        await client.RequestAsync("stats", null, Ct);
        Assert.Equal(2, daemon.Connections);
    }

    [Fact]
    public async Task Cancelled_OperationCanceled_NotTimedOut()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var daemon = new ScriptedDaemon(async (d, _) =>
        {
            await d.ReceiveAsync();
            received.TrySetResult();
            await d.WaitForCloseAsync();
        });
        await using var client = Client(daemon);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var request = client.RequestAsync("stats", null, cts.Token);
        await received.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct); // the command is in flight, its answer pending
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
    }

    [Fact]
    public async Task DaemonClosesMidFrame_ConnectionRefused()
    {
        await using var daemon = new ScriptedDaemon(async (d, _) =>
        {
            await d.ReceiveAsync();
            await d.SendRawAsync(Convert.FromHexString("0000001001"));
        });
        await using var client = Client(daemon);

        var e = await Assert.ThrowsAsync<IpsecException>(() => client.RequestAsync("stats", null, Ct));
        Assert.Equal(IpsecError.ConnectionRefused, e.Error);
        Assert.Contains("closed the connection", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DaemonClosedIdleConnection_NextCommandReconnectsTransparently()
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var daemon = new ScriptedDaemon(async (d, n) =>
        {
            await d.ReceiveAsync();
            await d.SendAsync(ViciPacketType.CmdResponse);
            if (n == 1)
            {
                d.Dispose(); // then hang up, as a restarting daemon does
                closed.TrySetResult();
            }
        });
        await using var client = Client(daemon);

        await client.RequestAsync("stats", null, Ct);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct); // a closed unix socket reads as such at once
        await client.RequestAsync("stats", null, Ct);

        Assert.Equal(2, daemon.Connections);
    }

    [Fact]
    public async Task ConcurrentCommands_OneInFlightAtATime()
    {
        int inFlight = 0, maxInFlight = 0;
        await using var daemon = new ScriptedDaemon(async (d, _) =>
        {
            while (true)
            {
                await d.ReceiveAsync();
                maxInFlight = Math.Max(maxInFlight, Interlocked.Increment(ref inFlight));
                await Task.Delay(5, Ct); // real time on purpose: holds each command open so an overlapping one would be seen
                Interlocked.Decrement(ref inFlight);
                await d.SendAsync(ViciPacketType.CmdResponse);
            }
        });
        await using var client = Client(daemon);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.RequestAsync("stats", null, Ct)));

        Assert.Equal(1, maxInFlight);
        Assert.Equal(1, daemon.Connections);
    }

    [Fact]
    public async Task Stream_RegistersYieldsEventsChecksResponseUnregisters()
    {
        var script = new List<string>();
        await using var daemon = new ScriptedDaemon(async (d, _) =>
        {
            script.Add("register " + await d.ConfirmAsync(ViciPacketType.EventRegister));
            script.Add("command " + (await d.ReceiveAsync()).Name);
            for (int i = 1; i <= 2; i++)
            {
                await d.SendAsync(ViciPacketType.Event, "list-sa", new ViciMessage().AddSection("lab", new ViciMessage().Add("uniqueid", i).Add("state", "ESTABLISHED")));
            }

            await d.SendAsync(ViciPacketType.CmdResponse);
            // Recorded before the confirmation: the client returns as soon as it has it.
            await d.ConfirmAsync(ViciPacketType.EventUnregister, name => script.Add("unregister " + name));
            await d.WaitForCloseAsync();
        });
        await using var client = Client(daemon);

        var sas = await client.ListIkeSasAsync(cancellationToken: Ct);

        Assert.Equal([1u, 2u], sas.Select(s => s.UniqueId));
        Assert.Equal(["register list-sa", "command list-sas", "unregister list-sa"], script);
    }

    [Fact]
    public async Task Stream_LeftEarly_NextCommandOnANewConnection()
    {
        await using var daemon = new ScriptedDaemon(async (d, n) =>
        {
            if (n == 1)
            {
                await d.ConfirmAsync(ViciPacketType.EventRegister);
                await d.ReceiveAsync();
                await d.SendAsync(ViciPacketType.Event, "list-sa", new ViciMessage());
                await d.SendAsync(ViciPacketType.Event, "list-sa", new ViciMessage());
                await d.WaitForCloseAsync();
                return;
            }

            await d.ReceiveAsync();
            await d.SendAsync(ViciPacketType.CmdResponse, message: new ViciMessage().Add("daemon", "charon").Add("version", "5.9.8"));
            await d.WaitForCloseAsync();
        });
        await using var client = Client(daemon);

        await foreach (var e in client.StreamAsync("list-sas", "list-sa", cancellationToken: Ct))
        {
            Assert.Equal("list-sa", e.Name);
            break;
        }

        Assert.Equal("5.9.8", (await client.GetVersionAsync(Ct)).Version);
        Assert.Equal(2, daemon.Connections);
    }

    [Fact]
    public async Task Subscribe_DaemonGoesAway_ReconnectsRegistersAgainAndMarksTheGap()
    {
        var registered = new List<string>();
        await using var daemon = new ScriptedDaemon(async (d, n) =>
        {
            var first = await d.ConfirmAsync(ViciPacketType.EventRegister);
            var second = await d.ConfirmAsync(ViciPacketType.EventRegister);
            lock (registered)
            {
                registered.AddRange([n + ":" + first, n + ":" + second]);
            }

            await d.SendAsync(ViciPacketType.Event, "ike-updown", new ViciMessage().Add("up", n == 1));
            if (n > 1)
            {
                await d.WaitForCloseAsync();
            }
        });
        await using var client = Client(daemon);

        var seen = new List<string>();
        await foreach (var e in client.SubscribeAsync(["ike-updown", "child-updown"], Ct))
        {
            seen.Add(e.IsSubscribed ? "subscribed" : $"{e.Name} up={e.IsUp}");
            if (seen.Count == 4)
            {
                break;
            }
        }

        Assert.Equal(["subscribed", "ike-updown up=True", "subscribed", "ike-updown up=False"], seen);
        Assert.Equal(["1:ike-updown", "1:child-updown", "2:ike-updown", "2:child-updown"], registered);
    }

    [Fact]
    public async Task Subscribe_DaemonStaysAway_RetriesOnTheBackoffOfTheClientsClock()
    {
        // Connection 1 subscribes and drops; 2 and 3 hang up before confirming (a daemon still starting); 4 works.
        await using var daemon = new ScriptedDaemon(async (d, n) =>
        {
            if (n is 2 or 3)
            {
                return;
            }

            await d.ConfirmAsync(ViciPacketType.EventRegister);
            if (n > 1)
            {
                await d.WaitForCloseAsync();
            }
        });
        var time = new ObservedTimeProvider();
        var delay = TimeSpan.FromHours(1);
        await using var client = new ViciClient(
            new ViciClientOptions { SocketPath = daemon.Uri, ReconnectDelay = delay, MaxReconnectDelay = TimeSpan.FromHours(10) }, timeProvider: time);
        await using var events = client.SubscribeAsync(["ike-updown"], Ct).GetAsyncEnumerator(Ct);
        Assert.True(await events.MoveNextAsync() && events.Current.IsSubscribed);

        var next = events.MoveNextAsync().AsTask();
        await time.WaitForTimerAsync(delay, Ct); // connection 2 failed: wait 1 h
        Assert.Equal(2, daemon.Connections);
        time.Advance(delay - TimeSpan.FromTicks(1));
        Assert.Equal(2, daemon.Connections);
        time.Advance(TimeSpan.FromTicks(1));
        await time.WaitForTimerAsync(2 * delay, Ct); // connection 3 failed: wait 2 h
        Assert.Equal(3, daemon.Connections);
        Assert.False(next.IsCompleted);
        time.Advance(2 * delay);

        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(30), Ct)); // a guard against hanging
        Assert.True(events.Current.IsSubscribed, "the marker again: events in the gap are lost");
        Assert.Equal(4, daemon.Connections);
    }

    [Fact]
    public async Task Subscribe_UnknownEvent_NotSupported()
    {
        await using var daemon = new ScriptedDaemon(async (d, _) =>
        {
            await d.ReceiveAsync();
            await d.SendAsync(ViciPacketType.EventUnknown);
            await d.WaitForCloseAsync();
        });
        await using var client = Client(daemon);

        var e = await Assert.ThrowsAsync<ViciCommandException>(async () =>
        {
            await foreach (var _ in client.SubscribeAsync(["no-such-event"], Ct))
            {
            }
        });
        Assert.Equal(IpsecError.NotSupported, e.Error);
    }

    [Fact]
    public async Task Dispose_EndsASubscriptionQuietly()
    {
        await using var daemon = new ScriptedDaemon(async (d, _) =>
        {
            await d.ConfirmAsync(ViciPacketType.EventRegister);
            await d.WaitForCloseAsync();
        });
        var client = Client(daemon);
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(async () =>
        {
            int n = 0;
            await foreach (var e in client.SubscribeAsync(["ike-updown"], Ct))
            {
                if (e.IsSubscribed)
                {
                    subscribed.TrySetResult();
                }
                else
                {
                    n++;
                }
            }

            return n;
        }, Ct);
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        await client.DisposeAsync();

        Assert.Equal(0, await reading.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetVersionAsync(Ct));
    }

    [Fact]
    public async Task RandomAnswers_OnlyTypedErrors()
    {
        byte[] answer = [];
        await using var daemon = new ScriptedDaemon(async (d, _) =>
        {
            await d.ReceiveAsync();
            await d.SendRawAsync(Volatile.Read(ref answer));
        });
        await using var client = Client(daemon, commandTimeoutMs: 200);

        await Gen.Select(Gen.Byte[0, 8], Gen.Byte.Array[0, 40], Gen.Bool).SampleAsync(async (type, body, honest) =>
        {
            // A length header that is either honest (the rest follows) or random.
            byte[] header = honest ? [0, 0, 0, (byte)(body.Length + 1)] : [.. body.Take(4)];
            Volatile.Write(ref answer, [.. header, type, .. body]);
            try
            {
                await client.RequestAsync("stats", null, Ct);
            }
            catch (IpsecException)
            {
            }
        }, iter: 150, threads: 1);
    }
}
