namespace CbbToolkit.Ipsec.Vici.Protocol;

/// <summary>Sizes fixed by the VICI protocol, and our own bound on nesting.</summary>
internal static class ViciLimits
{
    /// <summary>The transport header: a 32-bit big-endian length of the data that follows.</summary>
    public const int HeaderLength = 4;

    /// <summary>The largest segment (packet) the daemon accepts or sends: 512 KB of data, header excluded.</summary>
    public const int MaxSegmentLength = 512 * 1024;

    /// <summary>Names carry an 8-bit length.</summary>
    public const int MaxNameLength = byte.MaxValue;

    /// <summary>Values carry a 16-bit length.</summary>
    public const int MaxValueLength = ushort.MaxValue;

    /// <summary>
    /// Sections may nest "to arbitrary levels"; charon's deepest is 4 (list-sas child SAs inside a rekey event).
    /// A bound keeps hostile input from exhausting the stack of recursive consumers.
    /// </summary>
    public const int MaxDepth = 32;
}
