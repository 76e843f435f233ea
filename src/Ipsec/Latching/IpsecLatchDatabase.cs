using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using CbbToolkit.Ipsec.Configuration;
using CbbToolkit.Ipsec.Resolution;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Ipsec.Latching;

/// <summary>
/// RFC 5660 connection latching over the kernel's SAs. A connection latch holds the channel a connection started with;
/// after every change of the <see cref="XfrmStateCache"/> each latch's 5-tuple is resolved again:
/// <list type="bullet">
/// <item>a congruent channel (same protocol, mode, reqid, addresses, algorithms, key and ICV sizes, encapsulation, QoP
/// determinacy; new SPIs allowed) keeps it ESTABLISHED and moves its SPIs; when the SPIs changed and a peer was latched,
/// the peer source must confirm the new SAs belong to the same peer, else BROKEN;</item>
/// <item>an incongruent channel, or none (the SA went away), makes it BROKEN (RFC 5660 2.2: act as packet loss); it
/// returns to ESTABLISHED if a congruent channel protects the 5-tuple again. When the SAs went away but the policy still
/// requires them, the verdict waits <see cref="IpsecLatchDatabaseOptions.RekeyGracePeriod"/> for a congruent successor;</item>
/// <item><see cref="Close"/> makes it CLOSED (act as reset by the peer); CLOSED is final.</item>
/// </list>
/// Every state change raises an <see cref="IpsecLatchAlert"/>. Peer and local IDs are interned (RFC 5660 2.6).
/// </summary>
public sealed partial class IpsecLatchDatabase : IAsyncDisposable
{
    private readonly IpsecChannelResolver _resolver;
    private readonly IpsecLatchDatabaseOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<IpsecLatchHandle, LatchEntry> _latches = [];
    private readonly Dictionary<IpsecFlow, LatchEntry> _byFlow = [];
    private readonly LatchAlertSubscribers _subscribers = new();
    private readonly PeerIdTable _ids = new();
    private readonly RekeyGraceTimer _grace;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _startLock = new();
    private Task? _worker;
    private long _nextId;
    private int _disposed;

    /// <summary>
    /// Creates a database that follows <paramref name="resolver"/>'s cache and asks its peer source about rekeys. Nothing
    /// runs until <see cref="StartAsync"/> or the first latch is created.
    /// </summary>
    /// <param name="resolver">The resolver whose cache and peer source the latches follow.</param>
    /// <param name="options">Peer verification and grace settings; the defaults when null. The database keeps a copy.</param>
    /// <param name="logger">State changes and failures; none when null.</param>
    /// <param name="timeProvider">The clock of the grace period, the verification retries and the alerts' times; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="OptionsValidationException">A setting is out of range (<see cref="IpsecLatchDatabaseOptionsValidator"/>).</exception>
    public IpsecLatchDatabase(IpsecChannelResolver resolver, IpsecLatchDatabaseOptions? options = null, ILogger<IpsecLatchDatabase>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _resolver = resolver;
        _options = OptionsValidation.Validated(options, new IpsecLatchDatabaseOptionsValidator(), o => o.Clone());
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _grace = new RekeyGraceTimer(_options.RekeyGracePeriod, _time, Signal);
    }

    /// <summary>Creates a database from options in dependency injection (<c>services.AddIpsecLatchDatabase(...)</c>).</summary>
    /// <inheritdoc cref="IpsecLatchDatabase(IpsecChannelResolver, IpsecLatchDatabaseOptions?, ILogger{IpsecLatchDatabase}?, TimeProvider?)"/>
    public IpsecLatchDatabase(IpsecChannelResolver resolver, IOptions<IpsecLatchDatabaseOptions> options, ILogger<IpsecLatchDatabase>? logger = null,
        TimeProvider? timeProvider = null)
        : this(resolver, (options ?? throw new ArgumentNullException(nameof(options))).Value, logger, timeProvider)
    {
    }

    /// <summary>
    /// Starts following the resolver's cache (once; later calls do nothing). Creating the first latch starts it too, so
    /// calling this is optional; a host may call it at start-up. It completes at once: the cache's own start-up
    /// (<see cref="XfrmStateCache.StartAsync"/>) has already waited for the kernel.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was already cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The database was disposed.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsureStarted();
        return Task.CompletedTask;
    }

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
        EnsureStarted();
        var local = localEndPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(localEndPoint.Address.MapToIPv4(), localEndPoint.Port) : localEndPoint;
        var entry = new LatchEntry(NewHandle(), IpsecLatchState.Listener, _time.GetUtcNow()) { ListenerEndPoint = local, ListenerProtocol = protocol, Qop = qop };
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
        EnsureStarted(); // before the first evaluation below, so that no later cache change is missed
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

            var entry = new LatchEntry(NewHandle(), IpsecLatchState.Established, _time.GetUtcNow())
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
            ArmGraceTimer();
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
            entry.Held = null;
            _ids.Release(entry.PeerId);
            _ids.Release(entry.LocalId);
            ArmGraceTimer();
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
                entry.Held = null;
                Transition(entry, IpsecLatchState.Closed, reason, alerts);
                ArmGraceTimer();
            }
        }

        Dispatch(alerts);
    }

    /// <summary>Closes every latch (alerting), stops following the cache and ends alert streams.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Task? worker;
        lock (_startLock)
        {
            worker = _worker;
        }

        _resolver.Cache.Changed -= OnCacheChanged;
        _grace.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        _signal.Writer.TryComplete();
        try
        {
            await (worker ?? Task.CompletedTask).ConfigureAwait(false);
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
                entry.Held = null;
                if (entry.State != IpsecLatchState.Closed)
                {
                    Transition(entry, IpsecLatchState.Closed, "the latch database was disposed", alerts);
                }
            }
        }

        Dispatch(alerts);
        _subscribers.CompleteAll();
        _stop.Dispose();
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
