namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>Error counters of an SA (struct xfrm_stats).</summary>
/// <param name="ReplayWindow">Packets dropped outside the replay window.</param>
/// <param name="Replay">Replayed packets dropped.</param>
/// <param name="IntegrityFailed">Packets that failed the integrity check.</param>
public sealed record XfrmStatistics(uint ReplayWindow, uint Replay, uint IntegrityFailed)
{
    /// <summary>All zero.</summary>
    public static XfrmStatistics Zero { get; } = new(0, 0, 0);
}
