using CbbToolkit.Ipsec.Resolution.Matching;

namespace CbbToolkit.Ipsec.Resolution.Caching;

/// <summary>What the cache publishes atomically: the snapshot, its version and whether it can be trusted.</summary>
internal sealed record CacheView(XfrmSnapshot Snapshot, long Version, XfrmStateCacheStatus Status, IpsecError Error, string? Message)
{
    public bool IsUsable => Status == XfrmStateCacheStatus.Synchronized;
}
