using CbbToolkit.Ipsec.Timing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Timing;

/// <summary>The timeout token of XfrmClient and the resolver's peer lookup, on a fake clock.</summary>
public sealed class LinkedTimeoutTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void FiresWhenTheTimeoutPassesOnTheClock_NotATickEarlier()
    {
        using var timeout = new LinkedTimeout(TimeSpan.FromHours(1), _time, CancellationToken.None);

        _time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        Assert.False(timeout.Token.IsCancellationRequested);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(timeout.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task FiresWithTheCallersToken_BeforeTheTimeout()
    {
        using var caller = new CancellationTokenSource();
        using var timeout = new LinkedTimeout(TimeSpan.FromHours(1), _time, caller.Token);

        await caller.CancelAsync();

        Assert.True(timeout.Token.IsCancellationRequested);
    }

    [Fact]
    public void AnAlreadyCancelledCallersToken_CancelsAtOnce()
    {
        using var timeout = new LinkedTimeout(TimeSpan.FromHours(1), _time, new CancellationToken(canceled: true));

        Assert.True(timeout.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task AfterDispose_TheCallersTokenNoLongerReachesIt()
    {
        using var caller = new CancellationTokenSource();
        var timeout = new LinkedTimeout(TimeSpan.FromHours(1), _time, caller.Token);
        var token = timeout.Token;
        timeout.Dispose();

        await caller.CancelAsync(); // must not touch the disposed source
        _time.Advance(TimeSpan.FromHours(2));

        Assert.False(token.IsCancellationRequested);
    }
}
