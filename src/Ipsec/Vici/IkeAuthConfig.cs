namespace CbbToolkit.Ipsec.Vici;

/// <summary>One authentication round of a connection (list-conns' local-N / remote-N sections).</summary>
public sealed record IkeAuthConfig
{
    /// <summary>The round, from 1.</summary>
    public required int Round { get; init; }

    /// <summary>strongSwan's auth class: "public key", "pre-shared key", "EAP", "XAuth" or "any"; null when not constrained.</summary>
    public string? AuthenticationClass { get; init; }

    /// <summary>The required identity.</summary>
    public string? Id { get; init; }

    /// <summary>The EAP type, when EAP.</summary>
    public string? EapType { get; init; }

    /// <summary>The EAP identity.</summary>
    public string? EapId { get; init; }

    /// <summary>The XAuth identity.</summary>
    public string? XauthId { get; init; }

    /// <summary>The AAA identity.</summary>
    public string? AaaId { get; init; }

    /// <summary>Subjects of the certificates or raw public keys this round accepts (configured certs/pubkeys).</summary>
    public IReadOnlyList<string> Certificates { get; init; } = [];

    /// <summary>Subjects of the CA certificates this round accepts.</summary>
    public IReadOnlyList<string> CaCertificates { get; init; } = [];

    /// <summary>Required group memberships.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];
}
