namespace CbbToolkit.Ipsec.Resolution;

/// <summary>The cache changed: an SA or policy event was applied, the kernel was dumped again, or the status changed.</summary>
public sealed class XfrmStateCacheChangedEventArgs : EventArgs
{
    internal XfrmStateCacheChangedEventArgs(long version, XfrmStateCacheStatus status, bool reloaded)
    {
        Version = version;
        Status = status;
        IsReload = reloaded;
    }

    /// <summary>The cache version after the change (it grows by one per change).</summary>
    public long Version { get; }

    /// <summary>The cache status after the change.</summary>
    public XfrmStateCacheStatus Status { get; }

    /// <summary>True when the whole view was replaced by a fresh dump.</summary>
    public bool IsReload { get; }
}
