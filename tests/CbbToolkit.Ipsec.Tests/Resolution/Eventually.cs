namespace CbbToolkit.Ipsec.Tests.Resolution;

/// <summary>Waits (bounded) for something asynchronous to become true; fails with a description when it does not.</summary>
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
