namespace CbbToolkit.Ipsec.Vici.Protocol;

/// <summary>The rule for every name on the wire (packet names, section, key and list names): 1-255 printable ASCII bytes.</summary>
internal static class ViciNames
{
    public static bool IsValid(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.Length > ViciLimits.MaxNameLength)
        {
            return false;
        }

        foreach (var b in name)
        {
            if (b is < 0x20 or > 0x7e)
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsValid(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > ViciLimits.MaxNameLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is < (char)0x20 or > (char)0x7e)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> for a name the protocol cannot carry (caller's mistake, not the peer's).</summary>
    public static void ThrowIfInvalid(string name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (!IsValid(name))
        {
            throw new ArgumentException($"VICI names must be 1-{ViciLimits.MaxNameLength} printable ASCII characters: '{name}'.", paramName);
        }
    }
}
