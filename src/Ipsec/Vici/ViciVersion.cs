namespace CbbToolkit.Ipsec.Vici;

/// <summary>The daemon's answer to the version command.</summary>
public sealed record ViciVersion
{
    /// <summary>The IKE daemon's name (charon).</summary>
    public required string Daemon { get; init; }

    /// <summary>The strongSwan version, e.g. 5.9.8.</summary>
    public required string Version { get; init; }

    /// <summary>The operating system name.</summary>
    public string? SystemName { get; init; }

    /// <summary>The operating system release.</summary>
    public string? Release { get; init; }

    /// <summary>The hardware identifier.</summary>
    public string? Machine { get; init; }
}
