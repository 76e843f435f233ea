using CbbToolkit.Ipsec.Resolution;
using CbbToolkit.Ipsec.Resolution.Matching;

namespace CbbToolkit.Ipsec.Latching;

/// <summary>Whether the channel now protecting a latched 5-tuple is congruent with the latched one (RFC 5660 section 2.2).</summary>
internal static class LatchCongruence
{
    /// <summary>Why two channels are not congruent, or empty (new SPIs and fresh counters are allowed).</summary>
    public static string Difference(IpsecChannel latched, IpsecChannel now)
    {
        var parts = new List<string>(3);
        if (!SaCongruence.AreCongruent(latched.Outbound, now.Outbound))
        {
            parts.Add("outbound " + SaCongruence.Difference(latched.Outbound, now.Outbound));
        }

        if (!SaCongruence.AreCongruent(latched.Inbound, now.Inbound))
        {
            parts.Add("inbound " + SaCongruence.Difference(latched.Inbound, now.Inbound));
        }

        if (latched.IsQopIndeterminate != now.IsQopIndeterminate)
        {
            parts.Add(now.IsQopIndeterminate ? "the SAs are no longer narrowed to the 5-tuple" : "the SAs are now narrowed to the 5-tuple");
        }

        return string.Join("; ", parts);
    }
}
