namespace CbbToolkit.Ipsec.Vici;

/// <summary>A child-rekey event's content: the IKE SA, the child SA being replaced and its successor (new SPIs, same reqid).</summary>
public sealed record ChildSaRekey
{
    /// <summary>The IKE SA owning both child SAs (its child list left empty).</summary>
    public required IkeSa IkeSa { get; init; }

    /// <summary>The child SA being replaced.</summary>
    public required ChildSa Old { get; init; }

    /// <summary>The child SA replacing it.</summary>
    public required ChildSa New { get; init; }
}
