namespace CbbToolkit.Ipsec.Resolution.Matching;

/// <summary>
/// RFC 5660 congruence of two SAs: they protect the same way between the same ends. SPIs, counters and lifetimes may
/// differ (that is what a rekey changes); protocol, mode, reqid, addresses, algorithms, key and ICV sizes and NAT
/// encapsulation may not.
/// </summary>
internal static class SaCongruence
{
    public static bool AreCongruent(IpsecSaInfo a, IpsecSaInfo b) =>
        a.Protocol == b.Protocol
        && a.Mode == b.Mode
        && a.RequestId == b.RequestId
        && a.Source.Equals(b.Source)
        && a.Destination.Equals(b.Destination)
        && string.Equals(a.AeadAlgorithm, b.AeadAlgorithm, StringComparison.Ordinal)
        && a.AeadKeyBits == b.AeadKeyBits
        && a.AeadIcvBits == b.AeadIcvBits
        && string.Equals(a.EncryptionAlgorithm, b.EncryptionAlgorithm, StringComparison.Ordinal)
        && a.EncryptionKeyBits == b.EncryptionKeyBits
        && string.Equals(a.IntegrityAlgorithm, b.IntegrityAlgorithm, StringComparison.Ordinal)
        && a.IntegrityKeyBits == b.IntegrityKeyBits
        && a.IntegrityTruncationBits == b.IntegrityTruncationBits
        && string.Equals(a.CompressionAlgorithm, b.CompressionAlgorithm, StringComparison.Ordinal)
        && Equals(a.Encapsulation, b.Encapsulation);

    /// <summary>What differs, for messages ("algorithms", "reqid", ...); empty when congruent.</summary>
    public static string Difference(IpsecSaInfo latched, IpsecSaInfo now)
    {
        var parts = new List<string>();
        if (latched.Protocol != now.Protocol)
        {
            parts.Add($"protocol {latched.Protocol} -> {now.Protocol}");
        }

        if (latched.Mode != now.Mode)
        {
            parts.Add($"mode {latched.Mode} -> {now.Mode}");
        }

        if (latched.RequestId != now.RequestId)
        {
            parts.Add($"reqid {latched.RequestId} -> {now.RequestId}");
        }

        if (!latched.Source.Equals(now.Source) || !latched.Destination.Equals(now.Destination))
        {
            parts.Add($"addresses {latched.Source}->{latched.Destination} -> {now.Source}->{now.Destination}");
        }

        if (!string.Join(",", latched.AlgorithmNames()).Equals(string.Join(",", now.AlgorithmNames()), StringComparison.Ordinal)
            || latched.AeadKeyBits != now.AeadKeyBits || latched.EncryptionKeyBits != now.EncryptionKeyBits
            || latched.IntegrityKeyBits != now.IntegrityKeyBits || latched.AeadIcvBits != now.AeadIcvBits
            || latched.IntegrityTruncationBits != now.IntegrityTruncationBits)
        {
            parts.Add($"algorithms {string.Join("+", latched.AlgorithmNames())} -> {string.Join("+", now.AlgorithmNames())}");
        }

        if (!Equals(latched.Encapsulation, now.Encapsulation))
        {
            parts.Add("NAT encapsulation");
        }

        return string.Join("; ", parts);
    }
}
