using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CbbToolkit.Benchmarks.Support;

/// <summary>Self-signed certificates made in memory for the loopback handshakes.</summary>
internal static class EphemeralCertificate
{
    /// <summary>An ECDSA P-256 / SHA-256 server certificate for "localhost" with its private key.</summary>
    public static X509Certificate2 CreateEcdsaP256()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var made = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        // A round trip through PKCS#12 gives a certificate whose key OpenSSL can use for the server side.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), password: null);
    }
}
