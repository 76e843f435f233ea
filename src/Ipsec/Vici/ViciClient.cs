using CbbToolkit.Ipsec.Configuration;
using CbbToolkit.Ipsec.Vici.Protocol;
using CbbToolkit.Ipsec.Vici.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Ipsec.Vici;

/// <summary>
/// A client of strongSwan's VICI protocol over a unix socket. Commands share one connection, one at a time (VICI has no
/// sequence numbers); each event subscription gets its own connection. The command connection is opened on first use
/// and re-opened after the daemon restarts: while the daemon is down commands fail with
/// <see cref="IpsecError.ConnectionRefused"/>, afterwards they work again. Every wait is bounded by
/// <see cref="ViciClientOptions.CommandTimeout"/> (<see cref="IpsecError.TimedOut"/>) and honours cancellation.
/// </summary>
public sealed partial class ViciClient : IAsyncDisposable
{
    private readonly ViciEndpoint _endpoint;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private ViciConnection? _connection;
    private int _disposed;

    /// <summary>Creates a client for the daemon's VICI socket at <paramref name="socketPath"/> (a path, or unix://PATH).</summary>
    /// <exception cref="ArgumentException">A path that cannot be a unix socket's (the message says why).</exception>
    public ViciClient(string socketPath)
        : this(new ViciClientOptions { SocketPath = CheckSocketPath(socketPath) })
    {
    }

    /// <summary>Creates a client; nothing connects until the first command or subscription.</summary>
    /// <param name="options">The daemon's socket and the timeouts; the defaults when null. The client keeps a copy.</param>
    /// <param name="logger">Where connections, losses and retries are logged.</param>
    /// <param name="timeProvider">The clock of the timeouts and reconnect delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="OptionsValidationException">A setting is out of range or the socket path cannot be a unix
    /// socket's; the message lists every problem (<see cref="ViciClientOptionsValidator"/>).</exception>
    public ViciClient(ViciClientOptions? options = null, ILogger<ViciClient>? logger = null, TimeProvider? timeProvider = null)
    {
        Options = OptionsValidation.Validated(options, new ViciClientOptionsValidator(), o => o.Clone());
        _endpoint = ViciEndpoint.Parse(Options.SocketPath);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Creates a client from options in dependency injection (<c>services.AddViciClient(...)</c>).</summary>
    /// <inheritdoc cref="ViciClient(ViciClientOptions?, ILogger{ViciClient}?, TimeProvider?)"/>
    public ViciClient(IOptions<ViciClientOptions> options, ILogger<ViciClient>? logger = null, TimeProvider? timeProvider = null)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value, logger, timeProvider)
    {
    }

    /// <summary>
    /// The settings in use: a validated copy of those given, taken when the client was created, so later changes to the
    /// object passed in have no effect. Treat it as read-only: the client reads it on every command.
    /// </summary>
    public ViciClientOptions Options { get; }

    // A bad plain path is an argument error naming the parameter, before it becomes an option.
    private static string CheckSocketPath(string socketPath)
    {
        ViciEndpoint.Parse(socketPath);
        return socketPath;
    }

    /// <summary>
    /// Sends <paramref name="command"/> with optional arguments and returns the daemon's response. A response with
    /// <c>success = no</c> throws <see cref="ViciCommandException"/> carrying the daemon's errmsg.
    /// </summary>
    /// <exception cref="ViciCommandException">The command failed or is unknown to the daemon.</exception>
    /// <exception cref="ViciProtocolException">The daemon's answer is malformed.</exception>
    /// <exception cref="IpsecException">ConnectionRefused (daemon unreachable), PermissionDenied, TimedOut.</exception>
    public async Task<ViciMessage> RequestAsync(string command, ViciMessage? arguments = null, CancellationToken cancellationToken = default)
    {
        ViciNames.ThrowIfInvalid(command, nameof(command));
        var request = ViciPacket.Encode(ViciPacketType.CmdRequest, command, arguments);
        await EnterAsync(command, cancellationToken).ConfigureAwait(false);
        bool inSync = false;
        try
        {
            var connection = await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
            await SendAsync(connection, request, command, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var packet = await ReceiveAsync(connection, command, cancellationToken).ConfigureAwait(false);
                switch (packet.Type)
                {
                    case ViciPacketType.CmdResponse:
                        var response = packet.DecodeMessage();
                        inSync = true;
                        return CheckSuccess(command, response);
                    case ViciPacketType.CmdUnknown:
                        inSync = true;
                        throw new ViciCommandException(IpsecError.NotSupported, command, "the daemon does not know this command");
                    case ViciPacketType.Event:
                        continue; // nothing is registered on the command connection; an event here is stale, skip it
                    default:
                        throw Unexpected(packet, command);
                }
            }
        }
        finally
        {
            Leave(inSync, command);
        }
    }

    /// <summary>Closes the command connection and ends every subscription of this client.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);

        // A command in flight sees the cancellation and releases the gate; a stream a caller abandoned without
        // disposing it may hold it forever, so the wait is bounded.
        bool entered;
        using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time))
        {
            try
            {
                entered = await _gate.WaitAsync(Timeout.InfiniteTimeSpan, bound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                entered = false;
            }
        }

        _connection?.Dispose();
        _connection = null;
        if (entered)
        {
            _gate.Release();
        }
    }

    private async Task EnterAsync(string what, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await WithTimeoutAsync(async t => { await _gate.WaitAsync(t).ConfigureAwait(false); return true; },
            Options.CommandTimeout, $"waiting for the previous command before '{what}'", cancellationToken).ConfigureAwait(false);
    }

    private void Leave(bool inSync, string what)
    {
        if (!inSync && _connection is not null)
        {
            // Cancelled, timed out or broken mid-exchange: an answer may still be on its way, so this connection
            // can no longer pair requests with responses.
            ViciLog.Dropped(_logger, Options.SocketPath, what);
            _connection.Dispose();
            _connection = null;
        }

        _gate.Release();
    }

    private async Task<ViciConnection> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsUnusable: false })
        {
            return _connection;
        }

        if (_connection is not null)
        {
            ViciLog.Stale(_logger, Options.SocketPath);
            _connection.Dispose();
            _connection = null;
        }

        _connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        return _connection;
    }

    private async Task<ViciConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = await WithTimeoutAsync(t => ViciConnection.ConnectAsync(_endpoint, t), Options.ConnectTimeout,
            "connecting", cancellationToken).ConfigureAwait(false);
        ViciLog.Connected(_logger, Options.SocketPath);
        return connection;
    }

    private async Task SendAsync(ViciConnection connection, ReadOnlyMemory<byte> segment, string what, CancellationToken cancellationToken) =>
        await WithTimeoutAsync(async t => { await connection.SendAsync(segment, t).ConfigureAwait(false); return true; },
            Options.CommandTimeout, what, cancellationToken).ConfigureAwait(false);

    private Task<ViciPacket> ReceiveAsync(ViciConnection connection, string what, CancellationToken cancellationToken) =>
        WithTimeoutAsync(connection.ReceiveAsync, Options.CommandTimeout, what, cancellationToken);

    /// <summary>Sends EVENT_REGISTER or EVENT_UNREGISTER and waits for the confirmation, buffering events that arrive first.</summary>
    private async Task RegisterAsync(ViciConnection connection, string eventName, bool register, List<ViciEvent>? early, CancellationToken cancellationToken)
    {
        var type = register ? ViciPacketType.EventRegister : ViciPacketType.EventUnregister;
        var what = $"{(register ? "registering" : "unregistering")} event '{eventName}'";
        await SendAsync(connection, ViciPacket.Encode(type, eventName, null), what, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var packet = await ReceiveAsync(connection, what, cancellationToken).ConfigureAwait(false);
            switch (packet.Type)
            {
                case ViciPacketType.EventConfirm:
                    return;
                case ViciPacketType.EventUnknown:
                    throw new ViciCommandException(IpsecError.NotSupported, what, $"the daemon has no event named '{eventName}'");
                case ViciPacketType.Event:
                    early?.Add(new ViciEvent(packet.Name!, packet.DecodeMessage()));
                    break;
                default:
                    throw Unexpected(packet, what);
            }
        }
    }

    /// <summary>Runs <paramref name="operation"/> with a deadline; our own deadline becomes TimedOut, disposal ObjectDisposedException.</summary>
    private async Task<T> WithTimeoutAsync<T>(Func<CancellationToken, Task<T>> operation, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token, timer.Token);
        try
        {
            return await operation(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            ObjectDisposedException.ThrowIf(_lifetime.IsCancellationRequested, this);
            throw new IpsecException(IpsecError.TimedOut,
                $"The IKE daemon at {Options.SocketPath} did not answer within {timeout.TotalSeconds:0.###} s ({what}).", e);
        }
    }

    private static ViciMessage CheckSuccess(string command, ViciMessage response)
    {
        if (response.Find("success") is not null && !response.GetBoolean("success"))
        {
            throw new ViciCommandException(IpsecError.InvalidArgument, command, response.GetString("errmsg"));
        }

        return response;
    }

    private static ViciProtocolException Unexpected(ViciPacket packet, string what) =>
        new($"unexpected {ViciPacket.TypeName(packet.Type)} packet while {what}", 0);

    /// <summary>A lost or refused connection (as opposed to a protocol or command error): the daemon may come back.</summary>
    private static bool IsConnectionLoss(IpsecException e) =>
        e.Error == IpsecError.ConnectionRefused && e is not ViciCommandException;
}
