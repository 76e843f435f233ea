using CbbToolkit.Http;

namespace CbbToolkit.Yarp.Clusters;

/// <summary>A cluster's outbound channel settings, from its <c>Cbb.*</c> metadata (<see cref="IpsecClusterMetadata"/>).</summary>
public sealed record IpsecClusterOptions
{
    /// <summary><c>Cbb.Require</c>: what the channel to each destination must be. Default allow-clear.</summary>
    public IpsecChannelRequirement Require { get; init; } = IpsecChannelRequirement.AllowClear;

    /// <summary><c>Cbb.Bind</c>: whether the proxy binds its TLS sessions to the IPsec channel (docs/binding-protocol.md).</summary>
    public bool Bind { get; init; }

    /// <summary>
    /// <c>Cbb.Plaintext</c>: whether a bound connection may go in plaintext to the destination's advertised plaintext
    /// endpoint. Defaults to <see cref="Bind"/>; true needs <see cref="Bind"/>.
    /// </summary>
    public bool Plaintext { get; init; }

    /// <summary><c>Cbb.Pins</c>: the path of the SQLite pin store of this cluster's destinations; null: no pins.</summary>
    public string? Pins { get; init; }

    /// <summary><c>Cbb.LeapOfFaith</c>: whether first contact with an unpinned destination pins it. Needs <see cref="Pins"/>.</summary>
    public bool LeapOfFaith { get; init; }
}
