namespace CbbToolkit.Cli.Tests.Infrastructure;

/// <summary>
/// A self-signed server certificate and key made by the openssl command in a temporary directory (deleted on Dispose),
/// with the hashes OpenSSL computes for it - independent of .NET and of CbbToolkit.
/// </summary>
internal sealed class OpenSslCertificate : IDisposable
{
    private OpenSslCertificate(string directory) => Directory = directory;

    public string Directory { get; }

    public string CertificatePath => Path.Combine(Directory, "cert.pem");

    public string KeyPath => Path.Combine(Directory, "key.pem");

    /// <summary>SHA-256 of the DER certificate, lower-case hex, as <c>openssl x509 -fingerprint -sha256</c> prints it.</summary>
    public string CertificateSha256 { get; private set; } = "";

    /// <summary>SHA-256 of the DER SubjectPublicKeyInfo, by <c>openssl pkey -pubout -outform DER | openssl dgst -sha256</c>.</summary>
    public string SpkiSha256 { get; private set; } = "";

    /// <summary>Creates an ECDSA P-256 certificate signed with SHA-256 for CN=localhost, DNS:localhost, IP:127.0.0.1, IP:::1.</summary>
    public static async Task<OpenSslCertificate> CreateAsync()
    {
        var openssl = Tool.Require("openssl", "openssl");
        var dir = System.IO.Directory.CreateTempSubdirectory("cbb-cli-tests-");
        var cert = new OpenSslCertificate(dir.FullName);
        try
        {
            await RunAsync(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-sha256", "-nodes",
                "-keyout", cert.KeyPath, "-out", cert.CertificatePath, "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1");
            var fingerprint = await RunAsync(openssl, "x509", "-in", cert.CertificatePath, "-noout", "-fingerprint", "-sha256");
            cert.CertificateSha256 = fingerprint[(fingerprint.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim().Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
            var spki = Path.Combine(dir.FullName, "spki.der");
            await RunAsync(openssl, "pkey", "-in", cert.KeyPath, "-pubout", "-outform", "DER", "-out", spki);
            var digest = await RunAsync(openssl, "dgst", "-sha256", "-r", spki);
            cert.SpkiSha256 = digest.Split(' ')[0].Trim().ToLowerInvariant();
            return cert;
        }
        catch
        {
            cert.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary directory.
        }
    }

    private static async Task<string> RunAsync(string openssl, params string[] arguments)
    {
        using var process = ChildProcess.Start(openssl, arguments);
        var code = await process.WaitForExitAsync();
        return code == 0 ? process.Stdout : throw new InvalidOperationException($"openssl failed with {code}.\n{process.Output()}");
    }
}
