using CbbToolkit.Ipsec.Resolution;
using Xunit;

namespace CbbToolkit.Ipsec.Tests.Resolution;

/// <summary>
/// Waits for the cache to publish a change after which a condition holds: driven by <see cref="XfrmStateCache.Changed"/>
/// (raised after each new view is visible), not by polling, with a generous real-time bound as a guard against hanging.
/// </summary>
internal static class CacheChanges
{
    public static async Task UntilAsync(XfrmStateCache cache, Func<bool> condition, string what, int timeoutSeconds = 30)
    {
        var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(object? sender, XfrmStateCacheChangedEventArgs e)
        {
            if (condition())
            {
                met.TrySetResult();
            }
        }

        cache.Changed += Check;
        try
        {
            Check(cache, null!); // after subscribing, so a change between the two cannot be missed
            await met.Task.WaitAsync(TimeSpan.FromSeconds(timeoutSeconds), TimeProvider.System, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"No cache change within {timeoutSeconds} s made this true: {what}");
        }
        finally
        {
            cache.Changed -= Check;
        }
    }
}
