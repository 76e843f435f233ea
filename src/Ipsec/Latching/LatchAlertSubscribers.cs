using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace CbbToolkit.Ipsec.Latching;

/// <summary>
/// The alert streams of <see cref="IpsecLatchDatabase.ReadAlertsAsync"/>: one unbounded queue per reader, fed in the
/// order of the state changes (the database publishes under its own lock).
/// </summary>
internal sealed class LatchAlertSubscribers
{
    private readonly Lock _lock = new();
    private readonly List<Channel<IpsecLatchAlert>> _queues = [];
    private bool _completed;

    /// <summary>A stream of the alerts published from now on; it ends with <paramref name="cancellationToken"/> or <see cref="CompleteAll"/>.</summary>
    public IAsyncEnumerable<IpsecLatchAlert> Subscribe(CancellationToken cancellationToken)
    {
        var queue = Channel.CreateUnbounded<IpsecLatchAlert>(new UnboundedChannelOptions { SingleReader = true });
        lock (_lock)
        {
            if (_completed)
            {
                queue.Writer.TryComplete();
            }
            else
            {
                _queues.Add(queue);
            }
        }

        var registration = cancellationToken.Register(() => Remove(queue));
        return ReadAsync(queue, registration, cancellationToken);
    }

    public void Publish(IpsecLatchAlert alert)
    {
        lock (_lock)
        {
            foreach (var queue in _queues)
            {
                queue.Writer.TryWrite(alert);
            }
        }
    }

    /// <summary>Ends every stream, and those subscribed later at once.</summary>
    public void CompleteAll()
    {
        lock (_lock)
        {
            _completed = true;
            foreach (var queue in _queues)
            {
                queue.Writer.TryComplete();
            }

            _queues.Clear();
        }
    }

    private async IAsyncEnumerable<IpsecLatchAlert> ReadAsync(Channel<IpsecLatchAlert> queue, CancellationTokenRegistration registration,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var alert in queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return alert;
            }
        }
        finally
        {
            await registration.DisposeAsync().ConfigureAwait(false);
            Remove(queue);
        }
    }

    private void Remove(Channel<IpsecLatchAlert> queue)
    {
        lock (_lock)
        {
            _queues.Remove(queue);
        }

        queue.Writer.TryComplete();
    }
}
