namespace CbbToolkit.Ipsec.Vici.Protocol;

/// <summary>The first byte of every message element (README "Message format").</summary>
internal enum ViciElementType : byte
{
    /// <summary>Begins a named section.</summary>
    SectionStart = 1,
    /// <summary>Ends the innermost open section.</summary>
    SectionEnd = 2,
    /// <summary>A named value in the current section.</summary>
    KeyValue = 3,
    /// <summary>Begins a named list.</summary>
    ListStart = 4,
    /// <summary>An unnamed value in the open list.</summary>
    ListItem = 5,
    /// <summary>Ends the open list.</summary>
    ListEnd = 6,
}
