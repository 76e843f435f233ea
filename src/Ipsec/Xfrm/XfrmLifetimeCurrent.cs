namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>What an SA or policy has used so far (struct xfrm_lifetime_cur); read-only in practice.</summary>
/// <param name="Bytes">Bytes processed.</param>
/// <param name="Packets">Packets processed.</param>
/// <param name="AddTime">When it was added, in seconds since the epoch.</param>
/// <param name="UseTime">When it was first used, in seconds since the epoch (0 if never).</param>
public sealed record XfrmLifetimeCurrent(ulong Bytes, ulong Packets, ulong AddTime, ulong UseTime)
{
    /// <summary>Nothing used.</summary>
    public static XfrmLifetimeCurrent Zero { get; } = new(0, 0, 0, 0);
}
