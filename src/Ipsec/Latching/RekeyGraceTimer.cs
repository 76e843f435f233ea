namespace CbbToolkit.Ipsec.Latching;

/// <summary>
/// The clock of the rekey grace period (<see cref="IpsecLatchDatabaseOptions.RekeyGracePeriod"/>): tells whether a held
/// BROKEN verdict has waited long enough, and calls back once when the earliest hold ends so it is not missed without a
/// further cache change. On a <see cref="TimeProvider"/>, so tests drive it with a fake clock.
/// </summary>
internal sealed class RekeyGraceTimer : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private long? _armedFor;
    private bool _disposed;

    public RekeyGraceTimer(TimeSpan period, TimeProvider time, Action expired)
    {
        Period = period;
        _time = time;
        _timer = time.CreateTimer(_ => OnTimer(expired), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public TimeSpan Period { get; }

    public bool IsEnabled => Period > TimeSpan.Zero;

    public long Now => _time.GetTimestamp();

    public TimeSpan HeldFor(long since) => _time.GetElapsedTime(since);

    public bool HasExpired(long since) => HeldFor(since) >= Period;

    /// <summary>Schedules the callback for when the hold that began at <paramref name="earliest"/> ends; null disarms.</summary>
    public void Arm(long? earliest)
    {
        lock (_lock)
        {
            if (_disposed || earliest == _armedFor)
            {
                return;
            }

            _armedFor = earliest;
            var due = earliest is { } since ? Period - HeldFor(since) : Timeout.InfiniteTimeSpan;
            _timer.Change(earliest is null ? Timeout.InfiniteTimeSpan : due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer.Dispose();
        }
    }

    private void OnTimer(Action expired)
    {
        lock (_lock)
        {
            _armedFor = null;
        }

        expired();
    }
}
