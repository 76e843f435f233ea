using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Testing.OpenSsl;

namespace CbbToolkit.Testing.Certificates;

/// <summary>
/// A self-signed certificate and its key made by <c>openssl req -x509</c>, stored as PEM files, with the values OpenSSL
/// computes for it (independent of .NET and of CbbToolkit). Dispose deletes the folder when the certificate made its own
/// (<see cref="CreateLocalhost"/>); certificates made into a given folder leave it to its owner.
/// </summary>
public sealed class OpenSslCertificate : IDisposable
{
    private readonly string? _ownFolder;
    private readonly Lazy<byte[]> _der;
    private readonly Lazy<string> _fingerprint;
    private readonly Lazy<byte[]> _spkiSha256;

    private OpenSslCertificate(string name, string certificatePem, string keyPem, string? ownFolder)
    {
        Name = name;
        CertificatePem = certificatePem;
        KeyPem = keyPem;
        _ownFolder = ownFolder;
        _der = new(() => OpenSslCli.CertificateDer(CertificatePem));
        _fingerprint = new(Fingerprint);
        _spkiSha256 = new(() => OpenSslCli.SpkiSha256(CertificatePem));
    }

    /// <summary>The name it was made with (its CN, unless the request arguments set another subject).</summary>
    public string Name { get; }

    /// <summary>The certificate's PEM file.</summary>
    public string CertificatePem { get; }

    /// <summary>The private key's PEM file (unencrypted).</summary>
    public string KeyPem { get; }

    /// <summary>SHA-256 of the DER certificate, lower-case hex, as <c>openssl x509 -fingerprint -sha256</c> prints it.</summary>
    public string CertificateSha256Hex => _fingerprint.Value;

    /// <summary>SHA-256 of the DER SubjectPublicKeyInfo, lower-case hex, extracted and hashed by openssl.</summary>
    public string SpkiSha256Hex => Convert.ToHexStringLower(_spkiSha256.Value);

    /// <summary>Makes a certificate for CN=<paramref name="name"/> in <paramref name="directory"/>, with extra
    /// <c>openssl req</c> arguments (key type, digest, sigopts, extensions).</summary>
    public static OpenSslCertificate Create(string directory, string name, params string[] requestArguments) =>
        Make(directory, name, ownFolder: null, requestArguments);

    /// <summary>
    /// Makes an ECDSA P-256 certificate signed with SHA-256 for CN=localhost, DNS:localhost, IP:127.0.0.1, IP:::1 in a
    /// folder of its own (deleted on Dispose): what a TLS server on loopback presents.
    /// </summary>
    public static OpenSslCertificate CreateLocalhost()
    {
        var folder = Directory.CreateTempSubdirectory("cbb-cert-").FullName;
        try
        {
            return Make(folder, "localhost", folder,
                ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-sha256", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"]);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>The certificate with its private key, for an SslStream.</summary>
    public X509Certificate2 Load() => X509Certificate2.CreateFromPemFile(CertificatePem, KeyPem);

    /// <summary>The DER encoding, as openssl writes it.</summary>
    public byte[] Der() => _der.Value;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownFolder is null)
        {
            return;
        }

        try
        {
            Directory.Delete(_ownFolder, recursive: true);
        }
        catch (IOException)
        {
            // a temporary folder: best effort
        }
    }

    private static OpenSslCertificate Make(string directory, string name, string? ownFolder, string[] requestArguments)
    {
        var certificate = Path.Combine(directory, name + ".crt.pem");
        var key = Path.Combine(directory, name + ".key.pem");
        OpenSslCli.Run(["req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=" + name, "-keyout", key, "-out", certificate, .. requestArguments]);
        return new OpenSslCertificate(name, certificate, key, ownFolder);
    }

    private string Fingerprint()
    {
        var line = OpenSslCli.RunText("x509", "-in", CertificatePem, "-noout", "-fingerprint", "-sha256");
        return line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim().Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
    }
}
