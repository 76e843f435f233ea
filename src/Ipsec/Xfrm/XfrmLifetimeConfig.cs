namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>Soft and hard limits of an SA or policy (struct xfrm_lifetime_cfg). <see cref="ulong.MaxValue"/> and 0 seconds mean no limit.</summary>
public sealed record XfrmLifetimeConfig
{
    /// <summary>No byte or packet limit, no time limit (what <c>ip xfrm</c> uses by default).</summary>
    public static XfrmLifetimeConfig Infinite { get; } = new();

    /// <summary>Soft byte limit.</summary>
    public ulong SoftByteLimit { get; init; } = ulong.MaxValue;
    /// <summary>Hard byte limit.</summary>
    public ulong HardByteLimit { get; init; } = ulong.MaxValue;
    /// <summary>Soft packet limit.</summary>
    public ulong SoftPacketLimit { get; init; } = ulong.MaxValue;
    /// <summary>Hard packet limit.</summary>
    public ulong HardPacketLimit { get; init; } = ulong.MaxValue;
    /// <summary>Soft limit in seconds after being added.</summary>
    public ulong SoftAddExpiresSeconds { get; init; }
    /// <summary>Hard limit in seconds after being added.</summary>
    public ulong HardAddExpiresSeconds { get; init; }
    /// <summary>Soft limit in seconds after first use.</summary>
    public ulong SoftUseExpiresSeconds { get; init; }
    /// <summary>Hard limit in seconds after first use.</summary>
    public ulong HardUseExpiresSeconds { get; init; }
}
