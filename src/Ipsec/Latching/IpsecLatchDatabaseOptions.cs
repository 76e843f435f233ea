namespace CbbToolkit.Ipsec.Latching;

/// <summary>Settings of an <see cref="IpsecLatchDatabase"/>.</summary>
public sealed record IpsecLatchDatabaseOptions
{
    /// <summary>
    /// How many times the peer of rekeyed SAs is asked for before the latch breaks: the IKE daemon may install the new
    /// SAs in the kernel a moment before it lists them.
    /// </summary>
    public int PeerVerificationAttempts { get; init; } = 5;

    /// <summary>The wait between those attempts.</summary>
    public TimeSpan PeerVerificationRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);
}
