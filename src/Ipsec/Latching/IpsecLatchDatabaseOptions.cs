namespace CbbToolkit.Ipsec.Latching;

/// <summary>
/// Settings of an <see cref="IpsecLatchDatabase"/> (the .NET options pattern: bind it from configuration or set it in
/// code; checked by <see cref="IpsecLatchDatabaseOptionsValidator"/>, and by the database when it is created, which
/// keeps a copy).
/// </summary>
public sealed class IpsecLatchDatabaseOptions
{
    /// <summary>The longest <see cref="RekeyGracePeriod"/> accepted: a longer hold would hide a real loss of the SAs.</summary>
    public static readonly TimeSpan MaxRekeyGracePeriod = TimeSpan.FromSeconds(5);

    /// <summary>The most <see cref="PeerVerificationAttempts"/> accepted.</summary>
    public const int MaxPeerVerificationAttempts = 100;

    /// <summary>The longest <see cref="PeerVerificationRetryDelay"/> accepted.</summary>
    public static readonly TimeSpan MaxPeerVerificationRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many times the peer of rekeyed SAs is asked for before the latch breaks: the IKE daemon may install the new
    /// SAs in the kernel a moment before it lists them. Default 5; 1 to <see cref="MaxPeerVerificationAttempts"/>.
    /// </summary>
    public int PeerVerificationAttempts { get; set; } = 5;

    /// <summary>The wait between those attempts. Default 200 ms; zero to <see cref="MaxPeerVerificationRetryDelay"/>.</summary>
    public TimeSpan PeerVerificationRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long an ESTABLISHED connection latch whose SAs went away stays ESTABLISHED while the policy still requires
    /// SAs, so that a key manager that removes an SA a moment before installing its successor (break-before-make, or the
    /// events of one rekey arriving apart) causes no BROKEN alert. Default 500 ms; zero breaks at once; at most
    /// <see cref="MaxRekeyGracePeriod"/>.
    /// </summary>
    /// <remarks>
    /// Fail closed: the grace applies only while the kernel holds no SA for the flow and its policy requires one, so the
    /// kernel drops the flow's packets (nothing is sent or accepted unprotected or under other keys). An incongruent SA,
    /// a policy that now lets the flow through in clear or blocks it, or another peer's SAs break the latch at once; SAs
    /// that stay away break it when the period ends. A congruent successor within the period is adopted like any rekey
    /// (its peer confirmed first when a peer was latched) and raises no alert. Measured in the UML lab (docs/ipsec-resolution.md):
    /// charon's rekey events arrive within 40 ms of each other.
    /// </remarks>
    public TimeSpan RekeyGracePeriod { get; set; } = TimeSpan.FromMilliseconds(500);

    internal IpsecLatchDatabaseOptions Clone() => (IpsecLatchDatabaseOptions)MemberwiseClone();
}
