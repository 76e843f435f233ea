namespace CbbToolkit.Ipsec.Vici;

/// <summary>One named entry of a <see cref="ViciMessage"/>: a value, a sub-section, or a list of values.</summary>
public sealed class ViciEntry
{
    internal ViciEntry(string name, ReadOnlyMemory<byte> value)
    {
        Name = name;
        Kind = ViciEntryKind.Value;
        Value = value;
    }

    internal ViciEntry(string name, ViciMessage section)
    {
        Name = name;
        Kind = ViciEntryKind.Section;
        Section = section;
    }

    internal ViciEntry(string name, IReadOnlyList<ReadOnlyMemory<byte>> items)
    {
        Name = name;
        Kind = ViciEntryKind.List;
        Items = items;
    }

    /// <summary>The key, section or list name.</summary>
    public string Name { get; }

    /// <summary>Which of <see cref="Value"/>, <see cref="Section"/>, <see cref="Items"/> is set.</summary>
    public ViciEntryKind Kind { get; }

    /// <summary>The raw value of a key/value entry (VICI values are byte strings; charon sends text, except certificate data).</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>The sub-section, for <see cref="ViciEntryKind.Section"/>.</summary>
    public ViciMessage? Section { get; }

    /// <summary>The raw list items, for <see cref="ViciEntryKind.List"/>.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>>? Items { get; }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        ViciEntryKind.Value => $"{Name} = <{Value.Length} bytes>",
        ViciEntryKind.List => $"{Name} = [{Items!.Count} items]",
        _ => $"{Name} {{{Section!.Count} entries}}",
    };
}
