using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Resolution.Caching;

/// <summary>The kernel, through our own netlink client and monitor.</summary>
internal sealed class KernelCacheSource : IXfrmCacheSource
{
    private readonly XfrmClient _client;

    public KernelCacheSource(string? networkNamespace, TimeProvider? timeProvider) => _client = XfrmClient.Open(networkNamespace, timeProvider);

    public IXfrmEventReader OpenMonitor() => new Reader(_client.OpenMonitor());

    public Task<IReadOnlyList<XfrmState>> ListStatesAsync(CancellationToken cancellationToken) => _client.ListStatesAsync(cancellationToken);

    public Task<IReadOnlyList<XfrmPolicy>> ListPoliciesAsync(CancellationToken cancellationToken) => _client.ListPoliciesAsync(cancellationToken);

    public void Dispose() => _client.Dispose();

    private sealed class Reader(XfrmMonitor monitor) : IXfrmEventReader
    {
        public ValueTask<XfrmEvent> ReadAsync(CancellationToken cancellationToken) => monitor.ReadAsync(cancellationToken);

        public void Dispose() => monitor.Dispose();
    }
}
