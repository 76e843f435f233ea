namespace CbbToolkit.Ipsec.Timing;

/// <summary>
/// Exponential backoff for the toolkit's retry loops: waits <see cref="NextDelay"/> (starting at the initial delay, then
/// multiplied by the factor up to the maximum), optionally never past a deadline counted from construction, on a
/// <see cref="TimeProvider"/> so tests can drive it with a fake clock. Not thread-safe: one loop owns one instance.
/// </summary>
internal sealed class Backoff
{
    /// <summary>The longest delay a timer takes (Task.Delay's limit, about 49.7 days).</summary>
    internal static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly TimeProvider _time;
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly double _factor;
    private readonly TimeSpan? _deadline;
    private readonly long _started;

    /// <param name="initial">The first delay; positive.</param>
    /// <param name="max">The largest delay; at least <paramref name="initial"/>, at most <see cref="MaxDelay"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="factor">How much each delay grows; at least 1.</param>
    /// <param name="deadline">How long, from now, the waits may go on; null for no limit.</param>
    public Backoff(TimeSpan initial, TimeSpan max, TimeProvider? timeProvider = null, double factor = 2, TimeSpan? deadline = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, MaxDelay);
        if (!(factor >= 1) || double.IsInfinity(factor))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be a finite number of at least 1.");
        }

        if (deadline is { } d)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(d, TimeSpan.Zero, nameof(deadline));
        }

        _time = timeProvider ?? TimeProvider.System;
        _initial = initial;
        _max = max;
        _factor = factor;
        _deadline = deadline;
        _started = _time.GetTimestamp();
        NextDelay = initial;
    }

    /// <summary>The delay the next <see cref="WaitAsync"/> waits (shortened to what is left before the deadline).</summary>
    public TimeSpan NextDelay { get; private set; }

    /// <summary>How many waits completed.</summary>
    public int Waits { get; private set; }

    /// <summary>The time since construction, on the provider's clock.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_started);

    /// <summary>The time left before the deadline (zero once passed), or null without one.</summary>
    public TimeSpan? Remaining => _deadline is { } d ? Max(d - Elapsed, TimeSpan.Zero) : null;

    /// <summary>Whether the deadline has passed (never without one).</summary>
    public bool IsExpired => Remaining is { } left && left <= TimeSpan.Zero;

    /// <summary>Starts over from the initial delay (after a success); the deadline stays where it was.</summary>
    public void Reset() => NextDelay = _initial;

    /// <summary>
    /// Waits <see cref="NextDelay"/>, or only what is left before the deadline, then grows the delay.
    /// </summary>
    /// <returns>False, at once, when the deadline has already passed; true after waiting.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<bool> WaitAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var wait = NextDelay;
        if (Remaining is { } left)
        {
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            wait = Min(wait, left);
        }

        await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        Waits++;
        NextDelay = Grow(NextDelay);
        return true;
    }

    private TimeSpan Grow(TimeSpan delay)
    {
        var next = delay.Ticks * _factor;
        return next >= _max.Ticks ? _max : TimeSpan.FromTicks((long)next);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
