namespace CbbToolkit.Kestrel.Tests.TestSupport;

/// <summary>A clock that moves only when a test moves it (timers still run on the system clock).</summary>
public sealed class ManualTime() : TimeProvider
{
    public DateTimeOffset Now { get; set; } = TimeProvider.System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => Now;
}
