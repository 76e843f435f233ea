namespace CbbToolkit.Yarp.Clusters;

/// <summary>
/// A cluster's outbound handler, made at its first request instead of when YARP loads the configuration. YARP builds
/// cluster clients inside <c>MapReverseProxy</c>, before the host has started the kernel mirror that the latch database
/// and the resolver need; by the first request it has. A failed creation is not remembered: the next request tries again.
/// </summary>
/// <param name="unused">YARP's handler, which <paramref name="create"/> takes over; disposed here if it never runs.</param>
/// <param name="create">Makes the cluster's handler.</param>
internal sealed class DeferredClusterHandler(HttpMessageHandler unused, Func<HttpMessageHandler> create) : HttpMessageHandler
{
    private readonly Lock _lock = new();
    private HttpMessageInvoker? _invoker;
    private bool _disposed;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Invoker().SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_lock)
            {
                _disposed = true;
                if (_invoker is null)
                {
                    unused.Dispose();
                }
                else
                {
                    _invoker.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }

    private HttpMessageInvoker Invoker()
    {
        if (Volatile.Read(ref _invoker) is { } ready)
        {
            return ready;
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _invoker ??= new HttpMessageInvoker(create(), disposeHandler: true);
        }
    }
}
