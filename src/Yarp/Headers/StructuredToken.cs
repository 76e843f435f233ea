namespace CbbToolkit.Yarp.Headers;

/// <summary>An RFC 8941 token (an unquoted word such as <c>pkix-trusted</c>), kept apart from a string when parsed.</summary>
/// <param name="Value">The token's text.</param>
public readonly record struct StructuredToken(string Value)
{
    /// <inheritdoc />
    public override string ToString() => Value;
}
