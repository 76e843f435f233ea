namespace CbbToolkit.Ipsec.Vici.Parsing;

/// <summary>Maps a kernel SA (reqid, SPIs) to its IKE SA, and describes the peer from the daemon's configs and credentials.</summary>
internal static class PeerResolver
{
    /// <summary>The child SA with this reqid (and SPIs, when given); null when none. Fails closed when the match is ambiguous.</summary>
    /// <exception cref="IpsecException">InvalidArgument: child SAs of different IKE SAs match.</exception>
    public static (IkeSa Ike, ChildSa Child)? FindChild(IEnumerable<IkeSa> sas, uint reqid, uint? spiIn, uint? spiOut)
    {
        var matches = sas
            .SelectMany(ike => ike.ChildSas
                .Where(c => c.RequestId == reqid && (spiIn is null || c.InboundSpi == spiIn) && (spiOut is null || c.OutboundSpi == spiOut))
                .Select(c => (Ike: ike, Child: c)))
            .ToList();
        if (matches.Count == 0)
        {
            return null;
        }

        if (matches.Select(m => m.Ike.UniqueId).Distinct().Skip(1).Any())
        {
            throw new IpsecException(IpsecError.InvalidArgument,
                $"Ambiguous: reqid {reqid} matches child SAs of {matches.Select(m => m.Ike.UniqueId).Distinct().Count()} IKE SAs; give the SPIs.");
        }

        // Several child SAs of one IKE SA share a reqid while rekeying: prefer the installed one.
        return matches.Find(m => m.Child.State == "INSTALLED") is { Ike: not null } installed ? installed : matches[0];
    }

    public static IkePeer Describe(IkeSa ike, ChildSa child, IkeConnection? connection, IReadOnlyList<ViciCertificate> certificates)
    {
        var round = connection is { RemoteAuth.Count: > 0 } ? connection.RemoteAuth[0] : null;
        var keys = certificates.Where(c => c.Type == "PUBKEY" && !c.HasPrivateKey && Accepts(round, ike.RemoteId, c.Subject)).ToArray();
        var x509 = certificates.Where(c => c.Type == "X509" && c.Flag is null or "NONE" && !c.HasPrivateKey
                                           && round is { Certificates.Count: > 0 } && round.Certificates.Contains(StrongSwanDn(c))).ToArray();

        var publicKeys = keys.Select(k => k.Data.ToArray())
            .Concat(x509.Select(c => c.GetSubjectPublicKeyInfo()!))
            .DistinctBy(Convert.ToHexString)
            .ToArray();

        // Our own side: the credentials of our first round that the daemon holds the private key of.
        var local = connection is { LocalAuth.Count: > 0 } ? connection.LocalAuth[0] : null;
        var ownKeys = certificates.Where(c => c.Type == "PUBKEY" && c.HasPrivateKey && Accepts(local, ike.LocalId, c.Subject)).ToArray();
        var ownX509 = certificates.Where(c => c.Type == "X509" && c.Flag is null or "NONE" && c.HasPrivateKey
                                              && local is { Certificates.Count: > 0 } && local.Certificates.Contains(StrongSwanDn(c))).ToArray();
        var localKeys = ownKeys.Select(k => k.Data.ToArray())
            .Concat(ownX509.Select(c => c.GetSubjectPublicKeyInfo()!))
            .DistinctBy(Convert.ToHexString)
            .ToArray();

        return new IkePeer
        {
            IkeSa = ike,
            ChildSa = child,
            AuthenticationClass = round?.AuthenticationClass,
            AuthenticationMethod = Method(round, keys.Length > 0, x509.Length > 0),
            // Explicit nullable casts: a bare null would convert to an empty (non-null) ReadOnlyMemory.
            PublicKey = publicKeys.Length == 1 ? publicKeys[0] : (ReadOnlyMemory<byte>?)null, // several candidates: fail closed
            Certificate = x509.Length == 1 ? x509[0].Data : (ReadOnlyMemory<byte>?)null,
            LocalAuthenticationMethod = Method(local, ownKeys.Length > 0, ownX509.Length > 0),
            LocalPublicKey = localKeys.Length == 1 ? localKeys[0] : (ReadOnlyMemory<byte>?)null,
        };
    }

    /// <summary>Maps strongSwan's auth class (and the kind of credential configured for the peer) to the draft's methods.</summary>
    public static IpsecAuthenticationMethod Method(IkeAuthConfig? round, bool rawKey, bool pinnedCertificate) => round?.AuthenticationClass switch
    {
        "public key" when rawKey => IpsecAuthenticationMethod.RawPublicKey,
        "public key" when pinnedCertificate => IpsecAuthenticationMethod.PkixOffline,
        "public key" => IpsecAuthenticationMethod.PkixTrusted,
        "pre-shared key" => IpsecAuthenticationMethod.PresharedKey,
        "EAP" => IpsecAuthenticationMethod.Eap,
        "XAuth" => IpsecAuthenticationMethod.Xauth,
        _ => IpsecAuthenticationMethod.None,
    };

    /// <summary>
    /// A raw key belongs to a side when its round lists the key's subject (pubkeys = ... in swanctl.conf), or, when the
    /// round lists none, when its subject is that side's IKE id.
    /// </summary>
    private static bool Accepts(IkeAuthConfig? round, string? id, string? subject) =>
        subject is not null && (round is { Certificates.Count: > 0 } ? round.Certificates.Contains(subject) : subject == id);

    /// <summary>
    /// The subject DN the way charon prints it: RDNs in encoding order, "C=CH, O=org, CN=name". Null (no match) when an
    /// attribute has no short name we know, rather than guessing.
    /// </summary>
    internal static string? StrongSwanDn(ViciCertificate certificate)
    {
        using var parsed = certificate.ToX509Certificate();
        var parts = new List<string>();
        foreach (var rdn in parsed.SubjectName.EnumerateRelativeDistinguishedNames(reversed: false))
        {
            if (rdn.HasMultipleElements)
            {
                return null;
            }

            var name = rdn.GetSingleElementType().Value switch
            {
                "2.5.4.6" => "C",
                "2.5.4.8" => "ST",
                "2.5.4.7" => "L",
                "2.5.4.10" => "O",
                "2.5.4.11" => "OU",
                "2.5.4.3" => "CN",
                "1.2.840.113549.1.9.1" => "E",
                "0.9.2342.19200300.100.1.25" => "DC",
                _ => null,
            };
            if (name is null || rdn.GetSingleElementValue() is not { } value)
            {
                return null;
            }

            parts.Add(name + "=" + value);
        }

        return string.Join(", ", parts);
    }
}
