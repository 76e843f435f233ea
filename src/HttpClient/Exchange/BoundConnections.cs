using System.Collections.Concurrent;

namespace CbbToolkit.Http.Exchange;

// The handler's idle connections to bound servers' plaintext endpoints, per authority. A connection is taken out for
// one request at a time, so the handler always knows which connection (and which proof) carried a request.
internal sealed class BoundConnections : IDisposable
{
    private const int MaxIdlePerServer = 8;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<OwnConnection>> _idle = new(StringComparer.Ordinal);
    private bool _disposed;

    public OwnConnection? Take(string authority)
    {
        if (!_idle.TryGetValue(authority, out var queue))
        {
            return null;
        }

        while (queue.TryDequeue(out var connection))
        {
            if (!connection.IsSpent)
            {
                return connection;
            }

            connection.Dispose();
        }

        return null;
    }

    public void Return(string authority, OwnConnection connection)
    {
        var queue = _idle.GetOrAdd(authority, _ => new ConcurrentQueue<OwnConnection>());
        if (Volatile.Read(ref _disposed) || connection.IsSpent || queue.Count >= MaxIdlePerServer)
        {
            connection.Dispose();
            return;
        }

        queue.Enqueue(connection);
    }

    /// <summary>Closes every idle connection to <paramref name="authority"/> (its binding no longer holds).</summary>
    public void Close(string authority)
    {
        if (_idle.TryRemove(authority, out var queue))
        {
            while (queue.TryDequeue(out var connection))
            {
                connection.Dispose();
            }
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        foreach (var authority in _idle.Keys)
        {
            Close(authority);
        }
    }
}
