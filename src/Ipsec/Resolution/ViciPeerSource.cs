using System.Collections.Concurrent;
using CbbToolkit.Ipsec.Timing;
using CbbToolkit.Ipsec.Vici;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CbbToolkit.Ipsec.Resolution;

/// <summary>
/// Names the peer of a kernel SA pair from strongSwan over VICI: the child SA with the pair's reqid and SPIs, its IKE
/// SA (remote and local identity, IKE address, unique ids), how the peer authenticated and its public key or certificate
/// where charon holds it (see <see cref="ViciClient.FindPeerAsync"/>). Answers are cached by (reqid, SPIs); the cache is
/// emptied on every child-updown, child-rekey, ike-updown and ike-rekey event and whenever the event subscription
/// (re)connects. Nothing is cached while the subscription is not in place. The subscription starts with
/// <see cref="StartAsync"/> or, at the latest, with the first lookup.
/// </summary>
public sealed class ViciPeerSource : IIpsecPeerSource, IAsyncDisposable
{
    private static readonly string[] Events = ["child-updown", "child-rekey", "ike-updown", "ike-rekey"];

    private readonly ViciClient _client;
    private readonly bool _ownsClient;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<IpsecPeerQuery, IpsecPeer> _cache = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeProvider _time;
    private readonly Lock _startLock = new();
    private readonly TaskCompletionSource _firstSubscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _subscription;
    private long _generation;
    private volatile bool _subscribed;
    private int _disposed;

    /// <summary>Uses <paramref name="client"/> (disposed with this source when <paramref name="ownsClient"/>).</summary>
    /// <param name="client">The VICI client the lookups and the event subscription use.</param>
    /// <param name="ownsClient">Whether disposing this source disposes <paramref name="client"/>.</param>
    /// <param name="logger">Where subscription failures are logged.</param>
    /// <param name="timeProvider">The clock of the resubscription delays (200 ms doubling up to 5 s); <see cref="TimeProvider.System"/> when null.</param>
    public ViciPeerSource(ViciClient client, bool ownsClient = false, ILogger<ViciPeerSource>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _ownsClient = ownsClient;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Connects to charon's VICI socket at <paramref name="socketPath"/> (a path, or unix://PATH).</summary>
    /// <exception cref="ArgumentException">A path that cannot be a unix socket's (the message says why).</exception>
    public ViciPeerSource(string socketPath = ViciClientOptions.DefaultSocketPath)
        : this(new ViciClient(socketPath), ownsClient: true)
    {
    }

    /// <summary>True while the event subscription is in place (answers are then cached).</summary>
    public bool IsFollowingEvents => _subscribed;

    /// <summary>How many answers are cached.</summary>
    public int CachedCount => _cache.Count;

    /// <summary>
    /// Starts following charon's events (once; later calls only wait) and completes when the subscription is first in
    /// place. While charon cannot be reached the subscription keeps retrying: bound the wait with
    /// <paramref name="cancellationToken"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException">The wait was cancelled (the subscription keeps trying).</exception>
    /// <exception cref="ObjectDisposedException">The source was disposed.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        return _firstSubscribed.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="IpsecException">ConnectionRefused when charon cannot be reached; InvalidArgument when child SAs of
    /// several IKE SAs match; NotFound when the IKE SA carries no remote identity.</exception>
    public async ValueTask<IpsecPeer?> FindPeerAsync(IpsecPeerQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        EnsureStarted();
        if (_cache.TryGetValue(query, out var cached))
        {
            return cached;
        }

        var generation = Interlocked.Read(ref _generation);
        var found = await _client.FindPeerAsync(query.RequestId, query.InboundSpi, query.OutboundSpi, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return null; // not cached: the daemon may list the child SA a moment later
        }

        var peer = new IpsecPeer
        {
            RemoteId = found.RemoteId ?? throw new IpsecException(IpsecError.NotFound,
                $"charon's IKE SA {found.IkeSaUniqueId} for reqid {query.RequestId} has no remote identity."),
            LocalId = found.IkeSa.LocalId,
            AuthenticationMethod = found.AuthenticationMethod,
            RemoteHost = found.RemoteHost,
            IkeSaUniqueId = found.IkeSaUniqueId,
            ChildSaUniqueId = found.ChildSa.UniqueId,
            PublicKey = found.PublicKey,
            Certificate = found.Certificate,
            LocalAuthenticationMethod = found.LocalAuthenticationMethod,
            LocalPublicKey = found.LocalPublicKey,
            IsLocalInitiator = found.IsLocalInitiator,
            Source = "strongSwan VICI " + _client.Options.SocketPath,
        };

        // Cache only if no event arrived meanwhile and the subscription would tell us about the next one.
        if (_subscribed && Interlocked.Read(ref _generation) == generation)
        {
            _cache[query] = peer;
        }

        return peer;
    }

    /// <summary>Stops following events (and disposes the client when owned).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        Task? subscription;
        lock (_startLock)
        {
            subscription = _subscription;
        }

        try
        {
            await (subscription ?? Task.CompletedTask).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _firstSubscribed.TrySetException(new ObjectDisposedException(nameof(ViciPeerSource)));

        if (_ownsClient)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _subscription) is not null)
        {
            return;
        }

        lock (_startLock)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            _subscription ??= Task.Run(FollowEventsAsync);
        }
    }

    private void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _cache.Clear();
    }

    private async Task FollowEventsAsync()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), _time);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await foreach (var e in _client.SubscribeAsync(Events, _stop.Token).ConfigureAwait(false))
                {
                    // The marker comes first and after every reconnection: events may have been missed before it.
                    Invalidate();
                    _subscribed = true;
                    _firstSubscribed.TrySetResult();
                    backoff.Reset();
                    _ = e;
                }

                return; // the client was disposed
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IpsecException or ObjectDisposedException)
            {
                _subscribed = false;
                Invalidate();
                ViciPeerSourceLog.SubscriptionFailed(_logger, _client.Options.SocketPath, e.Message, backoff.NextDelay);
                if (e is ObjectDisposedException)
                {
                    return;
                }
            }
            finally
            {
                _subscribed = false;
            }

            try
            {
                await backoff.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
