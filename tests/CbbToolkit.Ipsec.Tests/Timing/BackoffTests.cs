using CbbToolkit.Ipsec.Timing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Timing;

/// <summary>
/// The retry loops' <see cref="Backoff"/> on a fake clock: each wait ends exactly when its delay has passed on the
/// clock and not a tick earlier, delays grow by the factor up to the cap, the deadline shortens the last wait and then
/// ends the loop, and cancellation ends a wait at once. Delays are hours long, so a real sleep would hang the test.
/// Backoff has no jitter: the delays are exact.
/// </summary>
public sealed class BackoffTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Delays_DoubleFromTheInitialDelay_UpToTheCap()
    {
        var backoff = new Backoff(TimeSpan.FromHours(1), TimeSpan.FromHours(10), _time);

        var waited = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            waited.Add((await WaitOnceAsync(backoff)).TotalHours);
        }

        Assert.Equal([1, 2, 4, 8, 10, 10, 10], waited);
        Assert.Equal(7, backoff.Waits);
        Assert.Equal(TimeSpan.FromHours(45), backoff.Elapsed);
    }

    [Fact]
    public async Task Delays_GrowByAFractionalFactor()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(400), _time, factor: 1.5);

        var waited = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            waited.Add((await WaitOnceAsync(backoff)).TotalSeconds);
        }

        Assert.Equal([100, 150, 225, 337.5, 400], waited);
    }

    [Fact]
    public async Task FactorOne_KeepsTheDelayConstant()
    {
        var backoff = new Backoff(TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(30), _time, factor: 1);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(TimeSpan.FromMinutes(3), await WaitOnceAsync(backoff));
        }
    }

    [Fact]
    public async Task Reset_StartsOverFromTheInitialDelay_ButKeepsTheDeadline()
    {
        var backoff = new Backoff(TimeSpan.FromHours(1), TimeSpan.FromHours(8), _time, deadline: TimeSpan.FromHours(10));
        await WaitOnceAsync(backoff);
        await WaitOnceAsync(backoff);
        Assert.Equal(TimeSpan.FromHours(4), backoff.NextDelay);

        backoff.Reset();

        Assert.Equal(TimeSpan.FromHours(1), backoff.NextDelay);
        Assert.Equal(TimeSpan.FromHours(7), backoff.Remaining);
        Assert.Equal(2, backoff.Waits);
    }

    [Fact]
    public async Task Deadline_ShortensTheLastWait_ThenWaitAsyncGivesUpAtOnce()
    {
        var backoff = new Backoff(TimeSpan.FromHours(1), TimeSpan.FromHours(10), _time, deadline: TimeSpan.FromHours(2.5));

        Assert.Equal(TimeSpan.FromHours(1), await WaitOnceAsync(backoff));
        Assert.Equal(TimeSpan.FromHours(1.5), await WaitOnceAsync(backoff)); // 2 h asked, 1.5 h left
        Assert.True(backoff.IsExpired);
        Assert.Equal(TimeSpan.Zero, backoff.Remaining);

        var third = backoff.WaitAsync(TestContext.Current.CancellationToken);

        Assert.True(third.IsCompletedSuccessfully, "past the deadline WaitAsync must not wait");
        Assert.False(await third);
        Assert.Equal(2, backoff.Waits);
    }

    [Fact]
    public async Task Deadline_CountsFromConstruction_NotFromTheFirstWait()
    {
        var backoff = new Backoff(TimeSpan.FromHours(1), TimeSpan.FromHours(10), _time, deadline: TimeSpan.FromHours(3));
        _time.Advance(TimeSpan.FromHours(2.5)); // e.g. a slow first attempt

        Assert.Equal(TimeSpan.FromHours(0.5), await WaitOnceAsync(backoff));
        Assert.False(await backoff.WaitAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ZeroDeadline_GivesUpBeforeAnyWait()
    {
        var backoff = new Backoff(TimeSpan.FromHours(1), TimeSpan.FromHours(1), _time, deadline: TimeSpan.Zero);

        Assert.True(backoff.IsExpired);
        Assert.False(await backoff.WaitAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, backoff.Waits);
    }

    [Fact]
    public void WithoutDeadline_NeverExpires()
    {
        var backoff = new Backoff(TimeSpan.FromHours(1), TimeSpan.FromHours(1), _time);
        _time.Advance(TimeSpan.FromDays(3650));

        Assert.Null(backoff.Remaining);
        Assert.False(backoff.IsExpired);
    }

    [Fact]
    public async Task Cancellation_EndsAWaitAtOnce_WithoutAdvancingTheDelay()
    {
        var backoff = new Backoff(TimeSpan.FromHours(1), TimeSpan.FromHours(10), _time);
        using var cts = new CancellationTokenSource();
        var wait = backoff.WaitAsync(cts.Token);
        Assert.False(wait.IsCompleted);

        await cts.CancelAsync();

        // No clock advance: the cancelled wait ends by itself, as a cancelled task.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.True(wait.IsCanceled);
        Assert.Equal(0, backoff.Waits);
        Assert.Equal(TimeSpan.FromHours(1), backoff.NextDelay);
    }

    [Fact]
    public async Task AlreadyCancelledToken_Throws_EvenPastTheDeadline()
    {
        var backoff = new Backoff(TimeSpan.FromHours(1), TimeSpan.FromHours(1), _time, deadline: TimeSpan.Zero);

        var wait = backoff.WaitAsync(new CancellationToken(canceled: true));

        Assert.True(wait.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Theory]
    [InlineData(0, 1, 2)]
    [InlineData(-1, 1, 2)]
    [InlineData(2, 1, 2)]
    [InlineData(1, 2, 0.5)]
    [InlineData(1, 2, double.NaN)]
    [InlineData(1, 2, double.PositiveInfinity)]
    public void InvalidArguments_ArgumentOutOfRange(double initialSeconds, double maxSeconds, double factor)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Backoff(TimeSpan.FromSeconds(initialSeconds), TimeSpan.FromSeconds(maxSeconds), _time, factor));
    }

    [Fact]
    public void NegativeDeadline_ArgumentOutOfRange()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), _time, deadline: TimeSpan.FromTicks(-1)));
        Assert.Equal("deadline", e.ParamName);
    }

    [Fact]
    public void MaxBeyondWhatATimerCanWait_ArgumentOutOfRange()
    {
        // Task.Delay takes at most uint.MaxValue - 1 ms (about 49.7 days); a cap above that would fail on first use.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromDays(50), _time));
        Assert.Equal("max", e.ParamName);
    }

    /// <summary>Runs one WaitAsync to its end and returns how long it waited: not done a tick early, done on time.</summary>
    private async Task<TimeSpan> WaitOnceAsync(Backoff backoff)
    {
        var expected = backoff.Remaining is { } left && left < backoff.NextDelay ? left : backoff.NextDelay;
        var before = _time.GetUtcNow();
        var wait = backoff.WaitAsync(TestContext.Current.CancellationToken);

        _time.Advance(expected - Tick);
        Assert.False(wait.IsCompleted, $"the wait of {expected} ended a tick early");
        _time.Advance(Tick);
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)); // a guard against hanging
        return _time.GetUtcNow() - before;
    }
}
