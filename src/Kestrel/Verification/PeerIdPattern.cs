namespace CbbToolkit.Kestrel.Verification;

/// <summary>An IKE identity pattern: ordinal, <c>*</c> matches any run of characters (none included).</summary>
internal static class PeerIdPattern
{
    public static bool Matches(string pattern, string id)
    {
        int p = 0, i = 0, star = -1, mark = 0;
        while (i < id.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = i;
            }
            else if (p < pattern.Length && pattern[p] == id[i])
            {
                p++;
                i++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                i = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
