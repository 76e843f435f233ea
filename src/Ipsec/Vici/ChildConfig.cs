namespace CbbToolkit.Ipsec.Vici;

/// <summary>A child SA config of a connection, as list-conns describes it.</summary>
public sealed record ChildConfig
{
    /// <summary>The child config name (what initiate's child takes).</summary>
    public required string Name { get; init; }

    /// <summary>TUNNEL, TRANSPORT, BEET, PASS, DROP.</summary>
    public string? Mode { get; init; }

    /// <summary>Our traffic selectors.</summary>
    public IReadOnlyList<string> LocalTrafficSelectors { get; init; } = [];

    /// <summary>The peer's traffic selectors.</summary>
    public IReadOnlyList<string> RemoteTrafficSelectors { get; init; } = [];
}
