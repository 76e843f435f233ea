namespace CbbToolkit.Ipsec.Timing;

/// <summary>
/// A token cancelled when a timeout on a <see cref="TimeProvider"/> passes or when the caller's token is cancelled:
/// what <c>CreateLinkedTokenSource(token)</c> plus <c>CancelAfter(timeout)</c> give, on any clock, for the same cost
/// (one source, one registration). Dispose it when the operation ends.
/// </summary>
internal sealed class LinkedTimeout : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _link;

    public LinkedTimeout(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _source = new CancellationTokenSource(timeout, timeProvider);
        _link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _source);
    }

    /// <summary>Cancelled at the timeout or with the caller's token.</summary>
    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        _link.Dispose(); // waits for a cancellation callback in flight, so the source is not used after disposal
        _source.Dispose();
    }
}
