namespace CbbToolkit.Ipsec.Vici;

/// <summary>A CHILD_SA (the IPsec SA pair) as charon's list-sas describes it. SPIs and counters are present once it is installed.</summary>
public sealed record ChildSa
{
    /// <summary>The child config name.</summary>
    public required string Name { get; init; }

    /// <summary>charon's unique id of this child SA (what terminate's child-id takes).</summary>
    public required uint UniqueId { get; init; }

    /// <summary>The reqid shared by the kernel SAs and policies of this child SA (XFRM templates match on it).</summary>
    public required uint RequestId { get; init; }

    /// <summary>charon's state name: CREATED, ROUTED, INSTALLING, INSTALLED, UPDATING, REKEYING, REKEYED, RETRYING, DELETING, DELETED, DESTROYING.</summary>
    public required string State { get; init; }

    /// <summary>TUNNEL, TRANSPORT, TRANSPORT_PROXY or BEET.</summary>
    public string? Mode { get; init; }

    /// <summary>ESP or AH.</summary>
    public string? Protocol { get; init; }

    /// <summary>ESP is UDP-encapsulated (NAT traversal).</summary>
    public bool IsEncapsulated { get; init; }

    /// <summary>The inbound SA's SPI (the peer sends with it; our kernel's inbound SA has it).</summary>
    public uint? InboundSpi { get; init; }

    /// <summary>The outbound SA's SPI (we send with it).</summary>
    public uint? OutboundSpi { get; init; }

    /// <summary>The inbound IPComp CPI, when compression is used.</summary>
    public ushort? InboundCpi { get; init; }

    /// <summary>The outbound IPComp CPI, when compression is used.</summary>
    public ushort? OutboundCpi { get; init; }

    /// <summary>The ESP encryption algorithm (charon's name, e.g. AES_GCM_16).</summary>
    public string? EncryptionAlgorithm { get; init; }

    /// <summary>The encryption key size in bits.</summary>
    public int? EncryptionKeySize { get; init; }

    /// <summary>The ESP/AH integrity algorithm (absent for AEAD).</summary>
    public string? IntegrityAlgorithm { get; init; }

    /// <summary>The integrity key size in bits.</summary>
    public int? IntegrityKeySize { get; init; }

    /// <summary>The PRF used for this child SA's keys.</summary>
    public string? PrfAlgorithm { get; init; }

    /// <summary>The PFS group, when any.</summary>
    public string? DhGroup { get; init; }

    /// <summary>Extended sequence numbers are in use.</summary>
    public bool UsesExtendedSequenceNumbers { get; init; }

    /// <summary>Bytes received.</summary>
    public ulong? InboundBytes { get; init; }

    /// <summary>Packets received.</summary>
    public ulong? InboundPackets { get; init; }

    /// <summary>Time since the last inbound packet.</summary>
    public TimeSpan? InboundIdleTime { get; init; }

    /// <summary>Bytes sent.</summary>
    public ulong? OutboundBytes { get; init; }

    /// <summary>Packets sent.</summary>
    public ulong? OutboundPackets { get; init; }

    /// <summary>Time since the last outbound packet.</summary>
    public TimeSpan? OutboundIdleTime { get; init; }

    /// <summary>Time until rekeying.</summary>
    public TimeSpan? RekeyTime { get; init; }

    /// <summary>Time until expiry.</summary>
    public TimeSpan? Lifetime { get; init; }

    /// <summary>How long ago it was installed.</summary>
    public TimeSpan? InstallTime { get; init; }

    /// <summary>Our traffic selectors (e.g. "10.1.0.1/32", "192.0.2.1/32[tcp/443]").</summary>
    public IReadOnlyList<string> LocalTrafficSelectors { get; init; } = [];

    /// <summary>The peer's traffic selectors.</summary>
    public IReadOnlyList<string> RemoteTrafficSelectors { get; init; } = [];
}
