using CbbToolkit.Ipsec.Resolution.Caching;
using CbbToolkit.Ipsec.Resolution.Matching;
using CbbToolkit.Ipsec.Timing;
using CbbToolkit.Ipsec.Xfrm;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CbbToolkit.Ipsec.Resolution;

/// <summary>
/// The kernel's SAs and policies, mirrored in memory so that resolving a connection costs no netlink round trip. It
/// opens the XFRM monitor first, then dumps SAs and policies once, then applies every NEWSA/UPDSA/DELSA, hard EXPIRE and
/// policy event in order (so nothing that happens during the dump is missed). When the kernel reports lost events
/// (ENOBUFS), the monitor fails, or a flush is announced, it dumps again; until then lookups fail closed. Readers see
/// immutable snapshots swapped atomically: thread-safe without locks on the lookup path. Keys are dropped on arrival.
/// </summary>
public sealed class XfrmStateCache : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly IXfrmCacheSource? _source;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CacheView _view;
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    private XfrmStateCache(IXfrmCacheSource? source, CacheView view, ILogger? logger, TimeProvider? timeProvider)
    {
        _source = source;
        _view = view;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Raised after each change, on the cache's own task; keep handlers short (hand work to another task).</summary>
    public event EventHandler<XfrmStateCacheChangedEventArgs>? Changed;

    /// <summary>Whether the cache mirrors the kernel right now.</summary>
    public XfrmStateCacheStatus Status => View.Status;

    /// <summary>Why the cache is not synchronized, when it is not.</summary>
    public string? StatusMessage => View.Message;

    /// <summary>Grows by one with every change.</summary>
    public long Version => View.Version;

    /// <summary>The number of SAs held.</summary>
    public int StateCount => View.Snapshot.Sas.Count;

    /// <summary>The number of policies held (socket and forward policies included).</summary>
    public int PolicyCount => View.Snapshot.Policies.Count;

    /// <summary>The network namespace followed, or null for the caller's.</summary>
    public string? NetworkNamespaceName { get; private init; }

    internal CacheView View => Volatile.Read(ref _view);

    /// <summary>
    /// Starts following the kernel of the caller's network namespace or a named one, and returns once the first dump
    /// has completed or failed (see <see cref="Status"/>: a cache without privilege keeps retrying and fails lookups closed).
    /// </summary>
    /// <param name="networkNamespace">The namespace's name (ip netns), or null for the caller's.</param>
    /// <param name="logger">Where resynchronizations and failures are logged.</param>
    /// <param name="timeProvider">The clock of the retry delays (100 ms doubling up to 5 s) and of the kernel's answer timeout; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Stops waiting for the first dump (the cache is then disposed).</param>
    public static async Task<XfrmStateCache> StartAsync(string? networkNamespace = null, ILogger<XfrmStateCache>? logger = null,
        TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var cache = new XfrmStateCache(new KernelCacheSource(networkNamespace, timeProvider), Initial(), logger, timeProvider) { NetworkNamespaceName = networkNamespace };
        cache.Start();
        try
        {
            await cache._firstLoad.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await cache.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return cache;
    }

    /// <summary>A fixed view of SAs and policies (for example one dump taken now); it follows nothing.</summary>
    public static XfrmStateCache FromDump(IEnumerable<XfrmState> states, IEnumerable<XfrmPolicy> policies) =>
        new(null, new CacheView(XfrmSnapshot.Create(states, policies), 1, XfrmStateCacheStatus.Synchronized, IpsecError.None, null), null, null);

    /// <summary>The SAs held (without keys).</summary>
    public IReadOnlyList<IpsecSaInfo> GetStates() => [.. View.Snapshot.Sas.Values.Select(s => s.Info)];

    /// <summary>The policies held.</summary>
    public IReadOnlyList<XfrmPolicy> GetPolicies() => [.. View.Snapshot.Policies.Values.Select(p => p.Policy)];

    /// <summary>Dumps the kernel again now (for example when the IKE daemon restarted).</summary>
    /// <exception cref="IpsecException">The dump failed; the cache is then <see cref="XfrmStateCacheStatus.Failed"/> and keeps retrying.</exception>
    public async Task ResynchronizeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_source is null)
        {
            return;
        }

        await ReloadAsync(_source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops following the kernel.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        var view = View;
        Publish(view with { Status = XfrmStateCacheStatus.Stopped, Message = "the cache was disposed", Error = IpsecError.NotConnected }, false);
        _source?.Dispose();
        _stop.Dispose();
    }

    /// <summary>For tests: a cache over any source, started.</summary>
    internal static XfrmStateCache StartWith(IXfrmCacheSource source, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        var cache = new XfrmStateCache(source, Initial(), logger, timeProvider);
        cache.Start();
        return cache;
    }

    internal Task FirstLoad => _firstLoad.Task;

    /// <summary>Applies one kernel event. Returns false when the event needs a full dump instead (a flush).</summary>
    internal bool Apply(XfrmEvent e)
    {
        var view = View;
        var snapshot = view.Snapshot;
        XfrmSnapshot next;
        switch (e)
        {
            case XfrmStateEvent { Change: XfrmChange.Deleted } s:
                next = snapshot.WithoutState(s.State);
                break;
            case XfrmStateEvent s:
                next = snapshot.WithState(s.State);
                break;
            case XfrmExpireEvent { IsHard: true } x:
                next = snapshot.WithoutState(x.State);
                break;
            case XfrmPolicyEvent { Change: XfrmChange.Deleted } p:
                next = snapshot.WithoutPolicy(p.Policy);
                break;
            case XfrmPolicyEvent p:
                next = snapshot.WithPolicy(p.Policy);
                break;
            case XfrmPolicyExpireEvent { IsHard: true } px:
                next = snapshot.WithoutPolicy(px.Policy);
                break;
            case XfrmFlushEvent:
                return false;
            default:
                return true; // ACQUIRE, soft expiries, others: nothing the resolver reads changes
        }

        if (!ReferenceEquals(next, snapshot))
        {
            Publish(view with { Snapshot = next, Version = view.Version + 1 }, reloaded: false);
        }

        return true;
    }

    private static CacheView Initial() =>
        new(XfrmSnapshot.Empty, 0, XfrmStateCacheStatus.Loading, IpsecError.TryAgain, "the first dump of the kernel has not completed");

    private void Start() => _loop = Task.Run(() => RunAsync(_source!, _stop.Token));

    private async Task RunAsync(IXfrmCacheSource source, CancellationToken stop)
    {
        var backoff = new Backoff(FirstRetryDelay, MaxRetryDelay, _time);
        while (!stop.IsCancellationRequested)
        {
            IXfrmEventReader? monitor = null;
            try
            {
                monitor = source.OpenMonitor(); // before the dump: what changes meanwhile arrives as events
                await ReloadAsync(source, stop).ConfigureAwait(false);
                backoff.Reset();
                while (true)
                {
                    var e = await monitor.ReadAsync(stop).ConfigureAwait(false);
                    await _gate.WaitAsync(stop).ConfigureAwait(false);
                    bool applied;
                    try
                    {
                        applied = Apply(e);
                    }
                    finally
                    {
                        _gate.Release();
                    }

                    if (!applied)
                    {
                        CacheLog.Resynchronizing(_logger, "the kernel announced a flush");
                        await ReloadAsync(source, stop).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever went wrong, the mirror may now miss changes: never keep serving it as synchronized.
                var error = e is IpsecException ie ? ie.Error : IpsecError.ProtocolOptionUnavailable;
                var lost = error == IpsecError.NoBufferSpace;
                if (View.Status == XfrmStateCacheStatus.Synchronized)
                {
                    CacheLog.Resynchronizing(_logger, e.Message);
                    Publish(View with
                    {
                        Status = XfrmStateCacheStatus.Resynchronizing,
                        Version = View.Version + 1,
                        Error = error,
                        Message = lost ? "the kernel dropped XFRM events; re-reading it" : "the XFRM monitor failed (" + e.Message + "); re-reading the kernel",
                    }, reloaded: false);
                }

                else if (View.Status == XfrmStateCacheStatus.Loading)
                {
                    // The monitor could not even be opened (e.g. joining the XFRM groups needs CAP_NET_ADMIN): the first
                    // load has failed too, and StartAsync must say so rather than wait.
                    Publish(View with { Status = XfrmStateCacheStatus.Failed, Error = error, Message = e.Message, Version = View.Version + 1 }, reloaded: false);
                    _firstLoad.TrySetResult();
                }

                if (!lost)
                {
                    CacheLog.Failed(_logger, error, e.Message, backoff.NextDelay);
                    try
                    {
                        await backoff.WaitAsync(stop).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
            finally
            {
                monitor?.Dispose();
            }
        }
    }

    private async Task ReloadAsync(IXfrmCacheSource source, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = _time.GetTimestamp();
            IReadOnlyList<XfrmState> states;
            IReadOnlyList<XfrmPolicy> policies;
            try
            {
                states = await source.ListStatesAsync(cancellationToken).ConfigureAwait(false);
                policies = await source.ListPoliciesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IpsecException e)
            {
                Publish(View with
                {
                    Status = XfrmStateCacheStatus.Failed,
                    Error = e.Error,
                    Message = e.Message,
                    Version = View.Version + 1,
                }, reloaded: false);
                _firstLoad.TrySetResult();
                throw;
            }

            var snapshot = XfrmSnapshot.Create(states, policies);
            CacheLog.Loaded(_logger, snapshot.Sas.Count, snapshot.Policies.Count, (long)_time.GetElapsedTime(started).TotalMilliseconds);
            Publish(new CacheView(snapshot, View.Version + 1, XfrmStateCacheStatus.Synchronized, IpsecError.None, null), reloaded: true);
            _firstLoad.TrySetResult();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Publish(CacheView view, bool reloaded)
    {
        Volatile.Write(ref _view, view);
        var handlers = Changed;
        if (handlers is null)
        {
            return;
        }

        var args = new XfrmStateCacheChangedEventArgs(view.Version, view.Status, reloaded);
        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<XfrmStateCacheChangedEventArgs>>())
        {
            try
            {
                handler(this, args);
            }
            catch (Exception e)
            {
                CacheLog.HandlerFailed(_logger, e);
            }
        }
    }
}
