namespace CbbToolkit.Ipsec.Vici;

/// <summary>A loaded connection (IKE config) as list-conns describes it.</summary>
public sealed record IkeConnection
{
    /// <summary>The connection name.</summary>
    public required string Name { get; init; }

    /// <summary>Local IKE addresses (or %any).</summary>
    public IReadOnlyList<string> LocalAddresses { get; init; } = [];

    /// <summary>Remote IKE addresses (or %any).</summary>
    public IReadOnlyList<string> RemoteAddresses { get; init; } = [];

    /// <summary>IKEv1, IKEv2, or 0 for any.</summary>
    public string? Version { get; init; }

    /// <summary>Our authentication rounds, in order (local-1, local-2, ...).</summary>
    public IReadOnlyList<IkeAuthConfig> LocalAuth { get; init; } = [];

    /// <summary>The rounds the peer must pass, in order (remote-1, remote-2, ...).</summary>
    public IReadOnlyList<IkeAuthConfig> RemoteAuth { get; init; } = [];

    /// <summary>The child SA configs.</summary>
    public IReadOnlyList<ChildConfig> Children { get; init; } = [];
}
