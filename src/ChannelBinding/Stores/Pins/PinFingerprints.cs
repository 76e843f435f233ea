using CbbToolkit.Channels.Bindings;

namespace CbbToolkit.Channels.Stores;

/// <summary>How pinned identities are shown in mismatches, logs and <c>cbb pins</c> (public values only).</summary>
public static class PinFingerprints
{
    /// <summary>An SPKI SHA-256 as lower-case hex.</summary>
    public static string Spki(ReadOnlySpan<byte> spkiSha256) => Convert.ToHexStringLower(spkiSha256);

    /// <summary>An IPsec identity as "METHOD id=IKEID key=HEX" ("-" for what is absent), or "unauthenticated (METHOD)".</summary>
    public static string Ipsec(IpsecIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (!identity.IsAuthenticated)
        {
            return $"unauthenticated ({identity.AuthenticationMethod})";
        }

        var key = identity.PublicKeySha256.IsEmpty ? "-" : Convert.ToHexStringLower(identity.PublicKeySha256.Span);
        return $"{identity.AuthenticationMethod} id={identity.IkeId ?? "-"} key={key}";
    }
}
