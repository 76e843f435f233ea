using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CbbToolkit.Channels.Tls;

/// <summary>
/// The tls-server-end-point channel binding (RFC 5929 section 4.1): a hash of the TLS server's certificate, with the
/// hash function of the certificate's signature algorithm - SHA-256 when that is MD5 or SHA-1, the hash in the
/// RSASSA-PSS parameters for RSA-PSS - and undefined when the algorithm uses no single hash function (Ed25519, Ed448).
/// </summary>
public static class TlsServerEndPoint
{
    /// <summary>Computes the binding of a server certificate.</summary>
    /// <param name="certificate">The TLS server's certificate.</param>
    /// <param name="value">The binding value (the hash), when defined.</param>
    /// <param name="reason">Why the binding is undefined for this certificate, when it is.</param>
    /// <returns>True when the binding is defined and computed; false with a reason otherwise.</returns>
    /// <exception cref="Ipsec.IpsecException">BadMessage when the certificate is not valid DER.</exception>
    public static bool TryCompute(X509Certificate certificate, [NotNullWhen(true)] out byte[]? value, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return TryCompute(RawData(certificate), out value, out reason);
    }

    /// <summary>Computes the binding of a DER-encoded server certificate.</summary>
    /// <param name="certificate">The TLS server's certificate, DER.</param>
    /// <param name="value">The binding value (the hash), when defined.</param>
    /// <param name="reason">Why the binding is undefined for this certificate, when it is.</param>
    /// <returns>True when the binding is defined and computed; false with a reason otherwise.</returns>
    /// <exception cref="Ipsec.IpsecException">BadMessage when the certificate is not valid DER.</exception>
    public static bool TryCompute(ReadOnlyMemory<byte> certificate, [NotNullWhen(true)] out byte[]? value, [NotNullWhen(false)] out string? reason)
    {
        if (!TryGetHashAlgorithm(certificate, out var hash, out reason))
        {
            value = null;
            return false;
        }

        value = CryptographicOperations.HashData(hash, certificate.Span);
        return true;
    }

    /// <summary>Finds the hash function RFC 5929 section 4.1 picks for a DER-encoded certificate.</summary>
    /// <param name="certificate">The certificate, DER.</param>
    /// <param name="hash">The hash function, when the binding is defined.</param>
    /// <param name="reason">Why the binding is undefined, when it is.</param>
    /// <returns>True when the binding is defined.</returns>
    /// <exception cref="Ipsec.IpsecException">BadMessage when the certificate is not valid DER.</exception>
    public static bool TryGetHashAlgorithm(ReadOnlyMemory<byte> certificate, out HashAlgorithmName hash, [NotNullWhen(false)] out string? reason)
    {
        var (oid, parameters) = CertificateDer.ReadSignatureAlgorithm(certificate);
        var hashOid = oid switch
        {
            Oids.RsaPss => CertificateDer.ReadPssHashAlgorithm(parameters),
            Oids.Ed25519 or Oids.Ed448 => null,
            _ => SignatureHash(oid),
        };

        if (hashOid is null)
        {
            hash = default;
            reason = oid is Oids.Ed25519 or Oids.Ed448
                ? $"tls-server-end-point is undefined for {(oid == Oids.Ed25519 ? "Ed25519" : "Ed448")} certificates: EdDSA uses no single " +
                  "hash function RFC 5929 section 4.1 could pick. Use tls-exporter."
                : $"tls-server-end-point is undefined for the certificate signature algorithm {oid}: RFC 5929 section 4.1 names no hash for it.";
            return false;
        }

        hash = HashName(hashOid);
        if (hash == default)
        {
            reason = $"tls-server-end-point needs the hash {hashOid} of the certificate's signature, which this platform does not provide.";
            return false;
        }

        reason = null;
        return true;
    }

    internal static ReadOnlyMemory<byte> RawData(X509Certificate certificate) =>
        certificate is X509Certificate2 c2 ? c2.RawDataMemory : certificate.GetRawCertData();

    // The hash a single-hash signature algorithm uses, by OID (RFC 3279, RFC 4055, RFC 5758, RFC 8692/NIST CSOR).
    private static string? SignatureHash(string signatureOid) => signatureOid switch
    {
        "1.2.840.113549.1.1.4" => Oids.Md5,           // md5WithRSAEncryption
        "1.2.840.113549.1.1.5" => Oids.Sha1,          // sha1WithRSAEncryption
        "1.2.840.10045.4.1" => Oids.Sha1,             // ecdsa-with-SHA1
        "1.2.840.10040.4.3" => Oids.Sha1,             // id-dsa-with-sha1
        "1.2.840.113549.1.1.14" => Oids.Sha224,       // sha224WithRSAEncryption
        "1.2.840.10045.4.3.1" => Oids.Sha224,         // ecdsa-with-SHA224
        "2.16.840.1.101.3.4.3.1" => Oids.Sha224,      // id-dsa-with-sha224
        "1.2.840.113549.1.1.11" => Oids.Sha256,       // sha256WithRSAEncryption
        "1.2.840.10045.4.3.2" => Oids.Sha256,         // ecdsa-with-SHA256
        "2.16.840.1.101.3.4.3.2" => Oids.Sha256,      // id-dsa-with-sha256
        "1.2.840.113549.1.1.12" => Oids.Sha384,       // sha384WithRSAEncryption
        "1.2.840.10045.4.3.3" => Oids.Sha384,         // ecdsa-with-SHA384
        "2.16.840.1.101.3.4.3.3" => Oids.Sha384,      // id-dsa-with-sha384
        "1.2.840.113549.1.1.13" => Oids.Sha512,       // sha512WithRSAEncryption
        "1.2.840.10045.4.3.4" => Oids.Sha512,         // ecdsa-with-SHA512
        "2.16.840.1.101.3.4.3.4" => Oids.Sha512,      // id-dsa-with-sha512
        "2.16.840.1.101.3.4.3.5" or "2.16.840.1.101.3.4.3.9" or "2.16.840.1.101.3.4.3.13" => Oids.Sha3_224,
        "2.16.840.1.101.3.4.3.6" or "2.16.840.1.101.3.4.3.10" or "2.16.840.1.101.3.4.3.14" => Oids.Sha3_256,
        "2.16.840.1.101.3.4.3.7" or "2.16.840.1.101.3.4.3.11" or "2.16.840.1.101.3.4.3.15" => Oids.Sha3_384,
        "2.16.840.1.101.3.4.3.8" or "2.16.840.1.101.3.4.3.12" or "2.16.840.1.101.3.4.3.16" => Oids.Sha3_512,
        _ => null,
    };

    // RFC 5929 section 4.1: MD5 and SHA-1 become SHA-256. default = a hash this platform lacks (SHA-224, SHA3 without OpenSSL support).
    private static HashAlgorithmName HashName(string hashOid) => hashOid switch
    {
        Oids.Md5 or Oids.Sha1 or Oids.Sha256 => HashAlgorithmName.SHA256,
        Oids.Sha384 => HashAlgorithmName.SHA384,
        Oids.Sha512 => HashAlgorithmName.SHA512,
        Oids.Sha3_256 when SHA3_256.IsSupported => HashAlgorithmName.SHA3_256,
        Oids.Sha3_384 when SHA3_384.IsSupported => HashAlgorithmName.SHA3_384,
        Oids.Sha3_512 when SHA3_512.IsSupported => HashAlgorithmName.SHA3_512,
        _ => default,
    };

    private static class Oids
    {
        internal const string RsaPss = "1.2.840.113549.1.1.10";
        internal const string Ed25519 = "1.3.101.112";
        internal const string Ed448 = "1.3.101.113";
        internal const string Md5 = "1.2.840.113549.2.5";
        internal const string Sha1 = "1.3.14.3.2.26";
        internal const string Sha224 = "2.16.840.1.101.3.4.2.4";
        internal const string Sha256 = "2.16.840.1.101.3.4.2.1";
        internal const string Sha384 = "2.16.840.1.101.3.4.2.2";
        internal const string Sha512 = "2.16.840.1.101.3.4.2.3";
        internal const string Sha3_224 = "2.16.840.1.101.3.4.2.7";
        internal const string Sha3_256 = "2.16.840.1.101.3.4.2.8";
        internal const string Sha3_384 = "2.16.840.1.101.3.4.2.9";
        internal const string Sha3_512 = "2.16.840.1.101.3.4.2.10";
    }
}
