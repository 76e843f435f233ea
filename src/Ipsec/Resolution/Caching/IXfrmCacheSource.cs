using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Ipsec.Resolution.Caching;

/// <summary>Where the cache reads the kernel: dumps and an event stream (the kernel over netlink; in-memory in unit tests).</summary>
internal interface IXfrmCacheSource : IDisposable
{
    /// <summary>Starts receiving events; events from this moment on are delivered by the reader.</summary>
    IXfrmEventReader OpenMonitor();

    Task<IReadOnlyList<XfrmState>> ListStatesAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<XfrmPolicy>> ListPoliciesAsync(CancellationToken cancellationToken);
}
