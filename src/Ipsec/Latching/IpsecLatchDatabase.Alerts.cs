namespace CbbToolkit.Ipsec.Latching;

/// <summary>Alert fan-out: state changes go to the alert streams at once (in order, under the lock) and to <see cref="Alert"/> handlers after it.</summary>
public sealed partial class IpsecLatchDatabase
{
    /// <summary>Raised after every state change (on the database's task, or on the caller's for <see cref="Close"/>).</summary>
    public event EventHandler<IpsecLatchAlert>? Alert;

    /// <summary>
    /// Alerts from the moment of this call (not of the first MoveNextAsync), until <paramref name="cancellationToken"/>
    /// is cancelled, the enumeration ends, or the database is disposed. Enumerate it or cancel the token: alerts are
    /// queued for it meanwhile.
    /// </summary>
    public IAsyncEnumerable<IpsecLatchAlert> ReadAlertsAsync(CancellationToken cancellationToken = default) =>
        _subscribers.Subscribe(cancellationToken);

    /// <summary>Changes a latch's state and publishes the alert. Under the lock; <see cref="Dispatch"/> the list after it.</summary>
    private void Transition(LatchEntry entry, IpsecLatchState state, string reason, List<IpsecLatchAlert> alerts)
    {
        var previous = entry.State;
        entry.State = state;
        entry.Reason = state == IpsecLatchState.Established ? null : reason;
        entry.Since = _time.GetUtcNow();
        var alert = new IpsecLatchAlert(entry.Handle, entry.Flow, previous, state, reason);
        LatchLog.StateChanged(_logger, entry.Handle, entry.Flow?.ToString(), previous, state, reason);
        _subscribers.Publish(alert);
        alerts.Add(alert);
    }

    /// <summary>Raises <see cref="Alert"/> for each alert, outside the lock; a failing handler is logged and does not stop the others.</summary>
    private void Dispatch(List<IpsecLatchAlert> alerts)
    {
        var handlers = Alert;
        if (handlers is null)
        {
            return;
        }

        foreach (var alert in alerts)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<IpsecLatchAlert>>())
            {
                try
                {
                    handler(this, alert);
                }
                catch (Exception e)
                {
                    LatchLog.HandlerFailed(_logger, e);
                }
            }
        }
    }
}
