using CbbToolkit.Ipsec.Resolution;

namespace CbbToolkit.Ipsec.Latching;

/// <summary>The re-evaluation worker: one pass over every latch after cache changes (coalesced) and when a grace period ends.</summary>
public sealed partial class IpsecLatchDatabase
{
    /// <summary>For tests: evaluates every latch now and waits for the peer verifications it starts (and those already running).</summary>
    internal async Task EvaluateNowAsync()
    {
        EvaluateAll();
        while (PendingVerifications() is { Length: > 0 } pending)
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
    }

    /// <summary>For tests: whether the worker runs and the cache is followed.</summary>
    internal bool IsStarted => Volatile.Read(ref _worker) is not null;

    // The worker and the cache subscription start here, never in the constructor: a database that is created and
    // dropped unused leaves nothing running and nothing attached to the cache.
    private void EnsureStarted()
    {
        if (Volatile.Read(ref _worker) is not null)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            return;
        }

        lock (_startLock)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            if (_worker is null)
            {
                _resolver.Cache.Changed += OnCacheChanged;
                _worker = Task.Run(RunAsync);
            }
        }
    }

    private void OnCacheChanged(object? sender, XfrmStateCacheChangedEventArgs e) => Signal();

    private void Signal() => _signal.Writer.TryWrite(true);

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

            ArmGraceTimer();
        }

        Dispatch(alerts);
    }

    /// <summary>Wakes the worker when the earliest held verdict is due. Under the lock.</summary>
    private void ArmGraceTimer()
    {
        long? earliest = null;
        foreach (var entry in _latches.Values)
        {
            if (entry.Held is { } held && (earliest is null || held.Since < earliest))
            {
                earliest = held.Since;
            }
        }

        _grace.Arm(earliest);
    }
}
