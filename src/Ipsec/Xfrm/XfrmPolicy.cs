namespace CbbToolkit.Ipsec.Xfrm;

/// <summary>
/// A security policy (xfrm_userpolicy_info, XFRMA_TMPL and the other attributes). The kernel identifies a policy by
/// (<see cref="Selector"/>, <see cref="Direction"/>, <see cref="Mark"/>, <see cref="InterfaceId"/>, <see cref="Type"/>)
/// or by its <see cref="Index"/>. Equality compares the templates element by element.
/// </summary>
public sealed record XfrmPolicy
{
    /// <summary>The traffic the policy applies to.</summary>
    public required XfrmSelector Selector { get; init; }
    /// <summary>In, out, forward (or socket in/out for socket policies in a dump).</summary>
    public required XfrmPolicyDirection Direction { get; init; }
    /// <summary>Allow (with templates) or block.</summary>
    public XfrmPolicyAction Action { get; init; }
    /// <summary>Lower values win when several policies match.</summary>
    public uint Priority { get; init; }
    /// <summary>The kernel's index (0 when adding lets the kernel choose).</summary>
    public uint Index { get; init; }
    /// <summary>XFRM_POLICY_* flags.</summary>
    public XfrmPolicyFlags Flags { get; init; }
    /// <summary>XFRM_SHARE_*.</summary>
    public byte Share { get; init; }
    /// <summary>Limits.</summary>
    public XfrmLifetimeConfig Lifetime { get; init; } = XfrmLifetimeConfig.Infinite;
    /// <summary>Usage so far (ignored when adding).</summary>
    public XfrmLifetimeCurrent Current { get; init; } = XfrmLifetimeCurrent.Zero;
    /// <summary>The transforms required, innermost first; none with <see cref="XfrmPolicyAction.Allow"/> means bypass.</summary>
    public IReadOnlyList<XfrmTemplate> Templates { get; init; } = [];
    /// <summary>XFRMA_MARK.</summary>
    public XfrmMark? Mark { get; init; }
    /// <summary>XFRMA_IF_ID.</summary>
    public uint? InterfaceId { get; init; }
    /// <summary>XFRMA_POLICY_TYPE (main unless said otherwise).</summary>
    public XfrmPolicyType Type { get; init; }

    /// <summary>Value equality, templates compared in order.</summary>
    public bool Equals(XfrmPolicy? other) =>
        other is not null && Selector == other.Selector && Direction == other.Direction && Action == other.Action
        && Priority == other.Priority && Index == other.Index && Flags == other.Flags && Share == other.Share
        && Lifetime == other.Lifetime && Current == other.Current && Templates.SequenceEqual(other.Templates)
        && Mark == other.Mark && InterfaceId == other.InterfaceId && Type == other.Type;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Selector, Direction, Priority, Index, Templates.Count);
}
