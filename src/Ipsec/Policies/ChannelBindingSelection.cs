using System.Globalization;

namespace CbbToolkit.Ipsec.Policies;

/// <summary>
/// Which channel-binding values and identities a converter puts into channel information ("according to the rules in
/// the given policy", draft section 2.2.5), as 32 flags the IPsec layer carries without reading them: each converter
/// above it defines its own (the TLS converter's are <c>CbbToolkit.Channels.Tls.TlsChannelBindings</c>).
/// <see cref="All"/> asks every converter for everything it defines.
/// </summary>
/// <param name="Flags">The flags, each defined by a converter.</param>
public readonly record struct ChannelBindingSelection(uint Flags)
{
    /// <summary>Nothing beyond what a converter always includes.</summary>
    public static ChannelBindingSelection None => default;

    /// <summary>Everything each converter defines, now and in later versions (every flag set).</summary>
    public static ChannelBindingSelection All => new(uint.MaxValue);

    /// <summary>Whether every flag of <paramref name="other"/> is selected (false for <see cref="None"/>).</summary>
    public bool Includes(ChannelBindingSelection other) => other.Flags != 0 && (Flags & other.Flags) == other.Flags;

    /// <summary>Both selections together.</summary>
    public static ChannelBindingSelection operator |(ChannelBindingSelection left, ChannelBindingSelection right) => new(left.Flags | right.Flags);

    /// <summary>What both selections select.</summary>
    public static ChannelBindingSelection operator &(ChannelBindingSelection left, ChannelBindingSelection right) => new(left.Flags & right.Flags);

    /// <summary>Everything the selection does not select.</summary>
    public static ChannelBindingSelection operator ~(ChannelBindingSelection value) => new(~value.Flags);

    /// <summary>Both selections together (the named form of <c>|</c>).</summary>
    public static ChannelBindingSelection BitwiseOr(ChannelBindingSelection left, ChannelBindingSelection right) => left | right;

    /// <summary>What both selections select (the named form of <c>&amp;</c>).</summary>
    public static ChannelBindingSelection BitwiseAnd(ChannelBindingSelection left, ChannelBindingSelection right) => left & right;

    /// <summary>Everything the selection does not select (the named form of <c>~</c>).</summary>
    public static ChannelBindingSelection OnesComplement(ChannelBindingSelection value) => ~value;

    /// <inheritdoc/>
    public override string ToString() => "0x" + Flags.ToString("x8", CultureInfo.InvariantCulture);
}
