using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace CbbToolkit.Ipsec.Tests.Timing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer created on it, so a test can wait for code under test to
/// start a wait (a Task.Delay, a timeout) before it advances the clock: no polling, no real sleeping.
/// </summary>
internal sealed class ObservedTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>
    /// Waits for the next timer created on this clock and returns its due time; fails after 30 s of real time (a guard
    /// for code that never starts the wait, e.g. one that took the system clock instead).
    /// </summary>
    public Task<TimeSpan> NextTimerAsync(CancellationToken cancellationToken) =>
        _created.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System, cancellationToken);

    /// <summary>Waits for the next timer created with <paramref name="dueTime"/>, skipping others (same guard).</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime, CancellationToken cancellationToken)
    {
        while (await NextTimerAsync(cancellationToken).ConfigureAwait(false) != dueTime)
        {
        }
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }
}
