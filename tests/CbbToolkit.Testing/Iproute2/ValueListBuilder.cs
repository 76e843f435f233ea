namespace CbbToolkit.Testing.Iproute2;

/// <summary>Lets a collection expression (<c>[a, b]</c>) make a <see cref="ValueList{T}"/>.</summary>
public static class ValueListBuilder
{
    /// <summary>A list of <paramref name="items"/>.</summary>
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => new(items.ToArray());
}
