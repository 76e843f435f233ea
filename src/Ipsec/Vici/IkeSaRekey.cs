namespace CbbToolkit.Ipsec.Vici;

/// <summary>An ike-rekey event's content: the IKE SA that was replaced and its successor (without child SAs).</summary>
public sealed record IkeSaRekey
{
    /// <summary>The IKE SA being replaced.</summary>
    public required IkeSa Old { get; init; }

    /// <summary>The new IKE SA (a new unique id; the child SAs move to it).</summary>
    public required IkeSa New { get; init; }
}
