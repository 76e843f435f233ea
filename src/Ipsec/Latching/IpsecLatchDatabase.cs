using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Resolution.Caching;
using CbbToolkit.Ipsec.Resolution.Matching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CbbToolkit.Ipsec.Latching;

/// <summary>
/// RFC 5660 connection latching over the kernel's SAs. A connection latch holds the channel a connection started with;
/// after every change of the <see cref="XfrmStateCache"/> each latch's 5-tuple is resolved again:
/// <list type="bullet">
/// <item>a congruent channel (same protocol, mode, reqid, addresses, algorithms, key and ICV sizes, encapsulation, QoP
/// determinacy; new SPIs allowed) keeps it ESTABLISHED and moves its SPIs; when the SPIs changed and a peer was latched,
/// the peer source must confirm the new SAs belong to the same peer, else BROKEN;</item>
/// <item>an incongruent channel, or none (the SA went away), makes it BROKEN (RFC 5660 2.2: act as packet loss); it
/// returns to ESTABLISHED if a congruent channel protects the 5-tuple again;</item>
/// <item><see cref="Close"/> makes it CLOSED (act as reset by the peer); CLOSED is final.</item>
/// </list>
/// Every state change raises an <see cref="IpsecLatchAlert"/>. Peer and local IDs are interned (RFC 5660 2.6).
/// </summary>
public sealed class IpsecLatchDatabase : IAsyncDisposable
{
    private readonly IpsecChannelResolver _resolver;
    private readonly IpsecLatchDatabaseOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<IpsecLatchHandle, LatchEntry> _latches = [];
    private readonly Dictionary<IpsecFlow, LatchEntry> _byFlow = [];
    private readonly List<Channel<IpsecLatchAlert>> _subscribers = [];
    private readonly PeerIdTable _ids = new();
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private long _nextId;
    private int _pendingVerifications;
    private int _disposed;

    /// <summary>Creates a database that follows <paramref name="resolver"/>'s cache and asks its peer source about rekeys.</summary>
    public IpsecLatchDatabase(IpsecChannelResolver resolver, IpsecLatchDatabaseOptions? options = null, ILogger<IpsecLatchDatabase>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _resolver = resolver;
        _options = options ?? new IpsecLatchDatabaseOptions();
        if (_options.PeerVerificationAttempts < 1 || _options.PeerVerificationRetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "PeerVerificationAttempts must be at least 1 and the delay not negative.");
        }

        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _resolver.Cache.Changed += OnCacheChanged;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Raised after every state change (on the database's task, or on the caller's for <see cref="Close"/>).</summary>
    public event EventHandler<IpsecLatchAlert>? Alert;

    /// <summary>The number of latches held.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _latches.Count;
            }
        }
    }

    /// <summary>The number of distinct peer and local IDs interned.</summary>
    public int InternedIdCount => _ids.Count;

    /// <summary>RFC 5660 CREATE_LISTENER_LATCH: a 3-tuple (local address, which may be any, port, protocol) and the QoP its connections need.</summary>
    public IpsecLatchHandle CreateListenerLatch(IPEndPoint localEndPoint, ProtocolType protocol, IpsecQop? qop = null)
    {
        ArgumentNullException.ThrowIfNull(localEndPoint);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var local = localEndPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(localEndPoint.Address.MapToIPv4(), localEndPoint.Port) : localEndPoint;
        var entry = new LatchEntry(NewHandle(), IpsecLatchState.Listener) { ListenerEndPoint = local, ListenerProtocol = protocol, Qop = qop };
        lock (_lock)
        {
            _latches.Add(entry.Handle, entry);
        }

        return entry.Handle;
    }

    /// <summary>
    /// RFC 5660 CREATE_CONNECTION_LATCH for the channel found at connect or accept. Without <paramref name="qop"/>, the
    /// QoP of a listener latch covering the local end applies. A given <paramref name="peerId"/> or
    /// <paramref name="localId"/> must equal what the key manager says about the channel.
    /// </summary>
    /// <exception cref="IpsecException">AlreadyExists: the 5-tuple is latched; BlockedByPolicy: the QoP is not met;
    /// ConnectionRefused: the peer or local ID differs; NotFound: an ID was given and the channel's peer is unknown.</exception>
    public IpsecLatchHandle CreateConnectionLatch(IpsecChannel channel, IpsecQop? qop = null, string? peerId = null, string? localId = null,
        IpsecSocketPolicies? socketPolicies = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var flow = channel.Flow;
        if ((peerId is not null || localId is not null) && channel.Peer is null)
        {
            throw new IpsecException(IpsecError.NotFound,
                $"{flow}: a peer or local ID was asked for but the channel's peer is unknown ({channel.PeerStatus}: {channel.PeerMessage}).");
        }

        if (peerId is not null && !string.Equals(peerId, channel.Peer!.RemoteId, StringComparison.Ordinal))
        {
            throw new IpsecException(IpsecError.ConnectionRefused, $"{flow}: the channel's peer is '{channel.Peer.RemoteId}', not '{peerId}'.");
        }

        if (localId is not null && !string.Equals(localId, channel.Peer!.LocalId, StringComparison.Ordinal))
        {
            throw new IpsecException(IpsecError.ConnectionRefused, $"{flow}: the channel's local ID is '{channel.Peer.LocalId}', not '{localId}'.");
        }

        List<IpsecLatchAlert> alerts = [];
        IpsecLatchHandle handle;
        lock (_lock)
        {
            qop ??= FindListenerQop(flow);
            if (qop?.Check(channel) is { } shortfall)
            {
                throw new IpsecException(IpsecError.BlockedByPolicy, $"{flow}: the channel does not meet the QoP asked for: {shortfall}.");
            }

            if (_byFlow.ContainsKey(flow))
            {
                throw new IpsecException(IpsecError.AlreadyExists, $"{flow} is already latched; release that latch first.");
            }

            var entry = new LatchEntry(NewHandle(), IpsecLatchState.Established)
            {
                Flow = flow,
                Qop = qop,
                SocketPolicies = socketPolicies,
                Channel = channel,
                Peer = channel.Peer,
                PeerId = _ids.Intern(channel.Peer?.RemoteId),
                LocalId = _ids.Intern(channel.Peer?.LocalId),
            };
            _latches.Add(entry.Handle, entry);
            _byFlow.Add(flow, entry);
            handle = entry.Handle;

            // The kernel may have changed since the channel was resolved: check it against the cache now.
            Evaluate(entry, _resolver.Cache.View, alerts);
        }

        Dispatch(alerts);
        return handle;
    }

    /// <summary>Resolves <paramref name="flow"/> (with its peer) and latches it.</summary>
    /// <exception cref="IpsecException">The flow is not protected (the resolution's error), or as <see cref="CreateConnectionLatch"/>.</exception>
    public async Task<IpsecLatchHandle> CreateConnectionLatchAsync(IpsecFlow flow, IpsecQop? qop = null, string? peerId = null, string? localId = null,
        IpsecSocketPolicies? socketPolicies = null, CancellationToken cancellationToken = default)
    {
        var resolution = await _resolver.ResolveAsync(flow, socketPolicies, cancellationToken).ConfigureAwait(false);
        return CreateConnectionLatch(resolution.GetChannelOrThrow(), qop, peerId, localId, socketPolicies);
    }

    /// <summary>RFC 5660 RELEASE_LATCH. False when the handle was already released.</summary>
    public bool Release(IpsecLatchHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        lock (_lock)
        {
            if (!_latches.Remove(handle, out var entry))
            {
                return false;
            }

            if (entry.Flow is not null)
            {
                _byFlow.Remove(entry.Flow);
            }

            entry.Released = true;
            entry.Generation++;
            _ids.Release(entry.PeerId);
            _ids.Release(entry.LocalId);
            return true;
        }
    }

    /// <summary>RFC 5660 FIND_LATCH.</summary>
    /// <exception cref="IpsecException">NotConnected when the 5-tuple has no latch.</exception>
    public IpsecLatchHandle Find(IpsecFlow flow) =>
        TryFind(flow, out var handle) ? handle : throw new IpsecException(IpsecError.NotConnected, $"{flow} has no latch.");

    /// <summary>FIND_LATCH without the exception.</summary>
    public bool TryFind(IpsecFlow flow, [NotNullWhen(true)] out IpsecLatchHandle? handle)
    {
        ArgumentNullException.ThrowIfNull(flow);
        lock (_lock)
        {
            handle = _byFlow.TryGetValue(flow, out var entry) ? entry.Handle : null;
            return handle is not null;
        }
    }

    /// <summary>RFC 5660 INQUIRE_LATCH: state and parameters.</summary>
    /// <exception cref="IpsecException">NotConnected for a released or foreign handle.</exception>
    public IpsecLatchInfo Inquire(IpsecLatchHandle handle)
    {
        lock (_lock)
        {
            return Get(handle).ToInfo();
        }
    }

    /// <summary>The parameters of an ESTABLISHED connection latch, or the error an operation on this connection must fail with.</summary>
    /// <exception cref="IpsecException">LatchBroken (EPIPE), LatchClosed (ECONNRESET), NotConnected (no such latch, or a listener latch).</exception>
    public IpsecLatchParameters EnsureEstablished(IpsecLatchHandle handle)
    {
        lock (_lock)
        {
            var entry = Get(handle);
            return entry.State switch
            {
                IpsecLatchState.Established => entry.ToInfo().Parameters!,
                IpsecLatchState.Broken => throw new IpsecException(IpsecError.LatchBroken, $"{handle} is BROKEN: {entry.Reason}"),
                IpsecLatchState.Closed => throw new IpsecException(IpsecError.LatchClosed, $"{handle} is CLOSED: {entry.Reason}"),
                _ => throw new IpsecException(IpsecError.NotConnected, $"{handle} is a listener latch, not a connection."),
            };
        }
    }

    /// <summary>Closes a latch administratively (RFC 5660 CLOSED: the connection acts as reset by the peer). Final.</summary>
    /// <exception cref="IpsecException">NotConnected for a released or foreign handle.</exception>
    public void Close(IpsecLatchHandle handle, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        List<IpsecLatchAlert> alerts = [];
        lock (_lock)
        {
            var entry = Get(handle);
            if (entry.State != IpsecLatchState.Closed)
            {
                entry.Generation++;
                Transition(entry, IpsecLatchState.Closed, reason, alerts);
            }
        }

        Dispatch(alerts);
    }

    /// <summary>
    /// Alerts from the moment of this call (not of the first MoveNextAsync), until <paramref name="cancellationToken"/>
    /// is cancelled, the enumeration ends, or the database is disposed. Enumerate it or cancel the token: alerts are
    /// queued for it meanwhile.
    /// </summary>
    public IAsyncEnumerable<IpsecLatchAlert> ReadAlertsAsync(CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<IpsecLatchAlert>(new UnboundedChannelOptions { SingleReader = true });
        lock (_lock)
        {
            if (_disposed != 0)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _subscribers.Add(channel);
            }
        }

        var registration = cancellationToken.Register(() => Unsubscribe(channel));
        return ReadAsync(channel, registration, cancellationToken);
    }

    /// <summary>Closes every latch (alerting), stops following the cache and ends alert streams.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _resolver.Cache.Changed -= OnCacheChanged;
        await _stop.CancelAsync().ConfigureAwait(false);
        _signal.Writer.TryComplete();
        try
        {
            await _worker.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        List<IpsecLatchAlert> alerts = [];
        lock (_lock)
        {
            foreach (var entry in _latches.Values)
            {
                entry.Generation++;
                if (entry.State != IpsecLatchState.Closed)
                {
                    Transition(entry, IpsecLatchState.Closed, "the latch database was disposed", alerts);
                }
            }
        }

        Dispatch(alerts);
        lock (_lock)
        {
            foreach (var s in _subscribers)
            {
                s.Writer.TryComplete();
            }

            _subscribers.Clear();
        }

        _stop.Dispose();
    }

    /// <summary>For tests: evaluates every latch now and waits for the peer verifications it starts.</summary>
    internal async Task EvaluateNowAsync()
    {
        EvaluateAll();
        while (Volatile.Read(ref _pendingVerifications) > 0)
        {
            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    private async IAsyncEnumerable<IpsecLatchAlert> ReadAsync(Channel<IpsecLatchAlert> channel, CancellationTokenRegistration registration,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var alert in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return alert;
            }
        }
        finally
        {
            await registration.DisposeAsync().ConfigureAwait(false);
            Unsubscribe(channel);
        }
    }

    private void Unsubscribe(Channel<IpsecLatchAlert> channel)
    {
        lock (_lock)
        {
            _subscribers.Remove(channel);
        }

        channel.Writer.TryComplete();
    }

    private void OnCacheChanged(object? sender, XfrmStateCacheChangedEventArgs e) => _signal.Writer.TryWrite(true);

    private async Task RunAsync()
    {
        try
        {
            while (await _signal.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                _signal.Reader.TryRead(out _);
                try
                {
                    EvaluateAll();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LatchLog.EvaluationFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private void EvaluateAll()
    {
        var view = _resolver.Cache.View;
        List<IpsecLatchAlert> alerts = [];
        lock (_lock)
        {
            foreach (var entry in _latches.Values)
            {
                Evaluate(entry, view, alerts);
            }
        }

        Dispatch(alerts);
    }

    /// <summary>Compares a latch with what the kernel holds now. Under the lock.</summary>
    private void Evaluate(LatchEntry entry, CacheView view, List<IpsecLatchAlert> alerts)
    {
        if (entry.Flow is null || entry.Channel is null || entry.State is IpsecLatchState.Closed or IpsecLatchState.Listener)
        {
            return;
        }

        if (!view.IsUsable)
        {
            // A short re-read after lost events is waited out; a kernel that cannot be read at all breaks the latch.
            if (view.Status == XfrmStateCacheStatus.Failed && entry.State == IpsecLatchState.Established)
            {
                entry.Generation++;
                entry.Verifying = null;
                Transition(entry, IpsecLatchState.Broken, "the kernel's IPsec state cannot be read: " + view.Message, alerts);
            }

            return;
        }

        var resolution = ChannelMatcher.Resolve(view.Snapshot, entry.Flow, entry.SocketPolicies);
        if (resolution.Channel is not { } now)
        {
            entry.Generation++;
            entry.Verifying = null;
            if (entry.State == IpsecLatchState.Established)
            {
                Transition(entry, IpsecLatchState.Broken, $"the 5-tuple is no longer protected by its SAs ({resolution.Reason}: {resolution.Message})", alerts);
            }

            return;
        }

        var difference = Difference(entry.Channel, now);
        if (difference.Length > 0)
        {
            entry.Generation++;
            entry.Verifying = null;
            if (entry.State == IpsecLatchState.Established)
            {
                Transition(entry, IpsecLatchState.Broken, $"an incongruent SA now covers the 5-tuple: {difference}", alerts);
            }

            return;
        }

        var spis = (now.Outbound.Spi, now.Inbound.Spi);
        if (spis == (entry.Channel.Outbound.Spi, entry.Channel.Inbound.Spi) || entry.PeerId is null)
        {
            if (entry.Verifying is not null)
            {
                entry.Generation++; // back to SAs already verified: a pending check is moot
                entry.Verifying = null;
            }

            Adopt(entry, now.WithPeer(entry.Channel.PeerStatus, entry.Peer, entry.Channel.PeerMessage), alerts);
            return;
        }

        // New SPIs and a latched peer: the new SAs must be the same peer's.
        if (entry.Verifying == spis)
        {
            return;
        }

        entry.Verifying = spis;
        var generation = ++entry.Generation;
        Interlocked.Increment(ref _pendingVerifications);
        _ = VerifyPeerAsync(entry, generation, now);
    }

    private async Task VerifyPeerAsync(LatchEntry entry, int generation, IpsecChannel now)
    {
        try
        {
            var found = now;
            for (var attempt = 1; attempt <= _options.PeerVerificationAttempts && !_stop.IsCancellationRequested; attempt++)
            {
                found = await _resolver.LookUpPeerAsync(now, _stop.Token).ConfigureAwait(false);
                if (found.Peer is not null || found.PeerStatus != IpsecPeerStatus.Unknown || attempt == _options.PeerVerificationAttempts)
                {
                    break;
                }

                await Task.Delay(_options.PeerVerificationRetryDelay, _stop.Token).ConfigureAwait(false);
            }

            List<IpsecLatchAlert> alerts = [];
            lock (_lock)
            {
                if (entry.Generation != generation || entry.Released || entry.State is IpsecLatchState.Closed)
                {
                    return;
                }

                entry.Verifying = null;
                if (found.Peer is null)
                {
                    Transition(entry, IpsecLatchState.Broken,
                        $"the peer of the rekeyed SAs 0x{now.Outbound.Spi:x8}/0x{now.Inbound.Spi:x8} could not be confirmed ({found.PeerStatus}: {found.PeerMessage})", alerts);
                }
                else if (!(entry.Peer?.IsSamePeer(found.Peer) ?? string.Equals(entry.PeerId, found.Peer.RemoteId, StringComparison.Ordinal)))
                {
                    Transition(entry, IpsecLatchState.Broken, $"the rekeyed SAs belong to another peer ('{found.Peer.RemoteId}', latched '{entry.PeerId}')", alerts);
                }
                else
                {
                    Adopt(entry, found, alerts);
                }
            }

            Dispatch(alerts);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LatchLog.EvaluationFailed(_logger, e);
        }
        finally
        {
            Interlocked.Decrement(ref _pendingVerifications);
        }
    }

    /// <summary>Takes a congruent channel (new SPIs, fresh counters); a BROKEN latch is ESTABLISHED again.</summary>
    private void Adopt(LatchEntry entry, IpsecChannel channel, List<IpsecLatchAlert> alerts)
    {
        var rekeyed = channel.Outbound.Spi != entry.Channel!.Outbound.Spi || channel.Inbound.Spi != entry.Channel.Inbound.Spi;
        entry.Channel = channel;
        if (rekeyed)
        {
            LatchLog.Rekeyed(_logger, entry.Handle, channel.Outbound.Spi, channel.Inbound.Spi);
        }

        if (entry.State == IpsecLatchState.Broken)
        {
            Transition(entry, IpsecLatchState.Established, "a channel congruent with the latched one protects the 5-tuple again", alerts);
        }
    }

    private void Transition(LatchEntry entry, IpsecLatchState state, string reason, List<IpsecLatchAlert> alerts)
    {
        var previous = entry.State;
        entry.State = state;
        entry.Reason = state == IpsecLatchState.Established ? null : reason;
        entry.Since = DateTimeOffset.UtcNow;
        var alert = new IpsecLatchAlert(entry.Handle, entry.Flow, previous, state, reason);
        LatchLog.StateChanged(_logger, entry.Handle, entry.Flow?.ToString(), previous, state, reason);
        foreach (var s in _subscribers)
        {
            s.Writer.TryWrite(alert);
        }

        alerts.Add(alert);
    }

    private void Dispatch(List<IpsecLatchAlert> alerts)
    {
        var handlers = Alert;
        if (handlers is null)
        {
            return;
        }

        foreach (var alert in alerts)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<IpsecLatchAlert>>())
            {
                try
                {
                    handler(this, alert);
                }
                catch (Exception e)
                {
                    LatchLog.HandlerFailed(_logger, e);
                }
            }
        }
    }

    /// <summary>Why two channels are not congruent, or empty.</summary>
    private static string Difference(IpsecChannel latched, IpsecChannel now)
    {
        var parts = new List<string>(3);
        if (!SaCongruence.AreCongruent(latched.Outbound, now.Outbound))
        {
            parts.Add("outbound " + SaCongruence.Difference(latched.Outbound, now.Outbound));
        }

        if (!SaCongruence.AreCongruent(latched.Inbound, now.Inbound))
        {
            parts.Add("inbound " + SaCongruence.Difference(latched.Inbound, now.Inbound));
        }

        if (latched.IsQopIndeterminate != now.IsQopIndeterminate)
        {
            parts.Add(now.IsQopIndeterminate ? "the SAs are no longer narrowed to the 5-tuple" : "the SAs are now narrowed to the 5-tuple");
        }

        return string.Join("; ", parts);
    }

    private IpsecQop? FindListenerQop(IpsecFlow flow)
    {
        foreach (var entry in _latches.Values)
        {
            if (entry.State == IpsecLatchState.Listener && entry.ListenerEndPoint is { } l && entry.ListenerProtocol == flow.Protocol
                && l.Port == flow.Local.Port && (l.Address.Equals(IPAddress.Any) || l.Address.Equals(IPAddress.IPv6Any) || l.Address.Equals(flow.Local.Address)))
            {
                return entry.Qop;
            }
        }

        return null;
    }

    private LatchEntry Get(IpsecLatchHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return _latches.TryGetValue(handle, out var entry)
            ? entry
            : throw new IpsecException(IpsecError.NotConnected, $"{handle} is not a latch of this database (released?).");
    }

    private IpsecLatchHandle NewHandle() => new(Interlocked.Increment(ref _nextId));
}
