namespace CbbToolkit.Ipsec.Vici;

/// <summary>What a named entry of a <see cref="ViciMessage"/> holds.</summary>
public enum ViciEntryKind
{
    /// <summary>A key/value pair.</summary>
    Value = 1,
    /// <summary>A sub-section (itself a <see cref="ViciMessage"/>).</summary>
    Section = 2,
    /// <summary>A list of values.</summary>
    List = 3,
}
