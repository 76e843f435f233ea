namespace CbbToolkit.Ipsec.Tests.Resolution;

/// <summary>
/// Waits (bounded) for something asynchronous to become true by polling; fails with a description when it does not.
/// Only for states nothing announces (a larval SA the kernel reports in no event, a daemon's cache with no change
/// event): where the cache publishes the change, use <see cref="CacheChanges"/>; where time must pass, a fake clock.
/// </summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Xunit.Assert.Fail($"Not within {timeoutMs} ms: {what}");
            }

            await Task.Delay(10);
        }
    }
}
