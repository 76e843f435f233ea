namespace CbbToolkit.Ipsec.Resolution;

/// <summary>Whether an <see cref="XfrmStateCache"/> mirrors the kernel right now.</summary>
public enum XfrmStateCacheStatus
{
    /// <summary>The first dump has not completed.</summary>
    Loading,
    /// <summary>Dumped and following every event: lookups are answered from memory.</summary>
    Synchronized,
    /// <summary>Events were lost (overrun) or the monitor failed: the cache is dumping the kernel again. Lookups fail closed meanwhile.</summary>
    Resynchronizing,
    /// <summary>The kernel cannot be read (no privilege, no XFRM); the cache keeps retrying. Lookups fail closed.</summary>
    Failed,
    /// <summary>Disposed.</summary>
    Stopped,
}
