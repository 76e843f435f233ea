namespace CbbToolkit.Channels.Bindings;

/// <summary>One claim of a <see cref="BoundPrincipal"/>: its type (a claim type URI or short name) and value.</summary>
/// <param name="Type">The claim type, e.g. <c>http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name</c>.</param>
/// <param name="Value">The claim value.</param>
public sealed record BoundClaim(string Type, string Value)
{
    /// <summary>The type only: claim values can be personal data, so logs get their count, not their text.</summary>
    public override string ToString() => $"BoundClaim {{ {Type} }}";
}
