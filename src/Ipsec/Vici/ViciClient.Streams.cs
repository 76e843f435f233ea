using System.Runtime.CompilerServices;
using CbbToolkit.Ipsec.Timing;
using CbbToolkit.Ipsec.Vici.Protocol;
using CbbToolkit.Ipsec.Vici.Transport;

namespace CbbToolkit.Ipsec.Vici;

public sealed partial class ViciClient
{
    /// <summary>
    /// Runs a streamed command: registers <paramref name="eventName"/>, sends <paramref name="command"/>, yields the
    /// events it streams, checks the final response (a failure throws <see cref="ViciCommandException"/> after the
    /// events), and unregisters. The command connection stays busy until the enumeration ends: do not send other
    /// commands on this client from inside the loop (they would wait and time out). Leaving the loop early closes the
    /// command connection; the next command opens a new one.
    /// </summary>
    /// <example><c>await foreach (var e in client.StreamAsync("list-sas", "list-sa")) { ... }</c></example>
    public async IAsyncEnumerable<ViciEvent> StreamAsync(string command, string eventName, ViciMessage? arguments = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ViciNames.ThrowIfInvalid(command, nameof(command));
        ViciNames.ThrowIfInvalid(eventName, nameof(eventName));
        var request = ViciPacket.Encode(ViciPacketType.CmdRequest, command, arguments);
        await EnterAsync(command, cancellationToken).ConfigureAwait(false);
        var inSync = false;
        try
        {
            var connection = await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
            await RegisterAsync(connection, eventName, register: true, early: null, cancellationToken).ConfigureAwait(false);
            await SendAsync(connection, request, command, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var packet = await ReceiveAsync(connection, command, cancellationToken).ConfigureAwait(false);
                if (packet.Type == ViciPacketType.Event)
                {
                    if (packet.Name == eventName)
                    {
                        yield return new ViciEvent(eventName, packet.DecodeMessage());
                    }

                    continue;
                }

                if (packet.Type is not (ViciPacketType.CmdResponse or ViciPacketType.CmdUnknown))
                {
                    throw Unexpected(packet, command);
                }

                var response = packet.Type == ViciPacketType.CmdResponse ? packet.DecodeMessage() : null;
                await RegisterAsync(connection, eventName, register: false, early: null, cancellationToken).ConfigureAwait(false);
                inSync = true;
                if (response is null)
                {
                    throw new ViciCommandException(IpsecError.NotSupported, command, "the daemon does not know this command");
                }

                CheckSuccess(command, response);
                yield break;
            }
        }
        finally
        {
            Leave(inSync, command);
        }
    }

    /// <summary>Subscribes to daemon events (e.g. ike-updown, child-updown, ike-rekey, child-rekey) on a connection of their own.</summary>
    /// <inheritdoc cref="SubscribeAsync(IReadOnlyList{string}, CancellationToken)"/>
    public IAsyncEnumerable<ViciEvent> SubscribeAsync(params string[] events) => SubscribeAsync(events, CancellationToken.None);

    /// <summary>
    /// Subscribes to daemon events on a connection of their own and yields them as they come, until cancelled or the
    /// client is disposed (then the enumeration just ends). The first item is a marker (<see cref="ViciEvent.IsSubscribed"/>)
    /// saying the registrations are in place: read the state the events will update after it, not before. If the daemon
    /// goes away after the subscription started, the subscription reconnects with backoff, registers again and yields
    /// the marker again: events in the gap are lost, so re-read the state.
    /// </summary>
    /// <exception cref="IpsecException">ConnectionRefused when the daemon cannot be reached at the start.</exception>
    /// <exception cref="ViciCommandException">NotSupported: the daemon has no such event.</exception>
    /// <exception cref="ViciProtocolException">The daemon sent malformed data.</exception>
    public async IAsyncEnumerable<ViciEvent> SubscribeAsync(IReadOnlyList<string> events,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("Name at least one event.", nameof(events));
        }

        foreach (var name in events)
        {
            ViciNames.ThrowIfInvalid(name, nameof(events));
        }

        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var token = linked.Token;
        var label = string.Join(",", events);
        var backoff = new Backoff(Options.ReconnectDelay, Max(Options.ReconnectDelay, Options.MaxReconnectDelay), _time);
        var started = false;
        while (true)
        {
            var early = new List<ViciEvent>();
            ViciConnection? connection = null;
            IpsecException? failure = null;
            try
            {
                connection = await OpenSubscriptionAsync(events, early, token).ConfigureAwait(false);
            }
            catch (IpsecException e) when (started && (IsConnectionLoss(e) || e.Error == IpsecError.TimedOut))
            {
                failure = e;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && IsDisposing(cancellationToken))
            {
                yield break;
            }

            if (connection is null)
            {
                ViciLog.SubscriptionRetry(_logger, label, Options.SocketPath, failure!.Message, backoff.NextDelay);
                if (!await PauseAsync(backoff, cancellationToken, token).ConfigureAwait(false))
                {
                    yield break;
                }

                continue;
            }

            try
            {
                if (started)
                {
                    ViciLog.SubscriptionResumed(_logger, label, Options.SocketPath);
                }

                started = true;
                yield return new ViciEvent(ViciEvent.SubscribedName, new ViciMessage(), isSubscribed: true);
                backoff.Reset();
                foreach (var e in early)
                {
                    yield return e;
                }

                while (true)
                {
                    ViciEvent? next = null;
                    var stop = false;
                    try
                    {
                        next = await ReceiveEventAsync(connection, token).ConfigureAwait(false);
                    }
                    catch (IpsecException e) when (IsConnectionLoss(e))
                    {
                        ViciLog.SubscriptionLost(_logger, label, Options.SocketPath, e.Message);
                    }
                    catch (OperationCanceledException) when (IsDisposing(cancellationToken))
                    {
                        stop = true;
                    }

                    if (stop)
                    {
                        yield break;
                    }

                    if (next is null)
                    {
                        break;
                    }

                    yield return next;
                }
            }
            finally
            {
                connection.Dispose();
            }
        }
    }

    private async Task<ViciConnection> OpenSubscriptionAsync(IReadOnlyList<string> events, List<ViciEvent> early, CancellationToken token)
    {
        var connection = await ConnectAsync(token).ConfigureAwait(false);
        try
        {
            foreach (var name in events)
            {
                await RegisterAsync(connection, name, register: true, early, token).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the next event; no deadline, since events come when SAs change.</summary>
    private static async Task<ViciEvent> ReceiveEventAsync(ViciConnection connection, CancellationToken token)
    {
        var packet = await connection.ReceiveAsync(token).ConfigureAwait(false);
        return packet.Type == ViciPacketType.Event
            ? new ViciEvent(packet.Name!, packet.DecodeMessage())
            : throw Unexpected(packet, "waiting for events");
    }

    /// <summary>Waits before reconnecting; false when the client is being disposed.</summary>
    private async Task<bool> PauseAsync(Backoff backoff, CancellationToken caller, CancellationToken token)
    {
        try
        {
            await backoff.WaitAsync(token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (IsDisposing(caller))
        {
            return false;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>The client is being disposed (and the caller did not cancel): subscriptions end quietly.</summary>
    private bool IsDisposing(CancellationToken caller) => _lifetime.IsCancellationRequested && !caller.IsCancellationRequested;
}
