using System.Net;

namespace CbbToolkit.Ipsec.Vici;

/// <summary>An IKE SA as charon's list-sas (and ike-updown/child-updown events) describe it. Optional fields are null when charon left them out.</summary>
public sealed record IkeSa
{
    /// <summary>The connection (config) name.</summary>
    public required string Name { get; init; }

    /// <summary>charon's unique id of this IKE SA (what terminate's ike-id takes).</summary>
    public required uint UniqueId { get; init; }

    /// <summary>The IKE version, 1 or 2.</summary>
    public int Version { get; init; }

    /// <summary>charon's state name: CREATED, CONNECTING, ESTABLISHED, PASSIVE, REKEYING, REKEYED, DELETING, DESTROYING.</summary>
    public required string State { get; init; }

    /// <summary>Our IKE address (null when charon shows %any).</summary>
    public IPAddress? LocalHost { get; init; }

    /// <summary>Our IKE port.</summary>
    public int? LocalPort { get; init; }

    /// <summary>The peer's IKE address (null when charon shows %any).</summary>
    public IPAddress? RemoteHost { get; init; }

    /// <summary>The peer's IKE port.</summary>
    public int? RemotePort { get; init; }

    /// <summary>Our IKE identity.</summary>
    public string? LocalId { get; init; }

    /// <summary>The peer's IKE identity, as charon prints it (a.test, an address, or a DN).</summary>
    public string? RemoteId { get; init; }

    /// <summary>The peer's EAP identity, when EAP authenticated it under another identity (IKEv2).</summary>
    public string? RemoteEapId { get; init; }

    /// <summary>The peer's XAuth identity, when XAuth authenticated it (IKEv1).</summary>
    public string? RemoteXauthId { get; init; }

    /// <summary>Whether we initiated this IKE SA.</summary>
    public bool IsInitiator { get; init; }

    /// <summary>The initiator's IKE SPI.</summary>
    public ulong? InitiatorSpi { get; init; }

    /// <summary>The responder's IKE SPI.</summary>
    public ulong? ResponderSpi { get; init; }

    /// <summary>Our end is behind a NAT.</summary>
    public bool IsLocalBehindNat { get; init; }

    /// <summary>The peer is behind a NAT.</summary>
    public bool IsRemoteBehindNat { get; init; }

    /// <summary>A NAT was faked (forced UDP encapsulation).</summary>
    public bool IsNatFaked { get; init; }

    /// <summary>Any NAT, real or faked: ESP is UDP-encapsulated.</summary>
    public bool UsesNatTraversal { get; init; }

    /// <summary>The IKE encryption algorithm (charon's name, e.g. AES_CBC).</summary>
    public string? EncryptionAlgorithm { get; init; }

    /// <summary>The encryption key size in bits, when it applies.</summary>
    public int? EncryptionKeySize { get; init; }

    /// <summary>The IKE integrity algorithm.</summary>
    public string? IntegrityAlgorithm { get; init; }

    /// <summary>The integrity key size in bits, when it applies.</summary>
    public int? IntegrityKeySize { get; init; }

    /// <summary>The IKE pseudo-random function.</summary>
    public string? PrfAlgorithm { get; init; }

    /// <summary>The Diffie-Hellman group (key exchange method).</summary>
    public string? DhGroup { get; init; }

    /// <summary>How long ago the IKE SA was established.</summary>
    public TimeSpan? EstablishedTime { get; init; }

    /// <summary>Time until rekeying.</summary>
    public TimeSpan? RekeyTime { get; init; }

    /// <summary>Time until reauthentication.</summary>
    public TimeSpan? ReauthTime { get; init; }

    /// <summary>Virtual IPs the peer assigned to us.</summary>
    public IReadOnlyList<string> LocalVirtualAddresses { get; init; } = [];

    /// <summary>Virtual IPs assigned to the peer.</summary>
    public IReadOnlyList<string> RemoteVirtualAddresses { get; init; } = [];

    /// <summary>The child SAs (in events: only the affected one).</summary>
    public IReadOnlyList<ChildSa> ChildSas { get; init; } = [];
}
