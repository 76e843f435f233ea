using System.Collections.Concurrent;

namespace CbbToolkit.Testing.Certificates;

/// <summary>
/// Certificates made by the openssl CLI, each once per test run on first use, in a temporary folder deleted at the end.
/// Meant as an xunit assembly fixture (<c>[assembly: AssemblyFixture(typeof(CertificateStore))]</c>).
/// </summary>
public sealed class CertificateStore : IDisposable
{
    /// <summary>The certificates tests use, by name: the openssl req arguments that make each.</summary>
    public static IReadOnlyDictionary<string, string[]> Specs { get; } = new Dictionary<string, string[]>
    {
        ["ecdsa-p256-sha256"] = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-sha256"],
        ["ecdsa-p384-sha384"] = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-sha384"],
        ["ecdsa-p521-sha512"] = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521", "-sha512"],
        ["rsa-sha256"] = ["-newkey", "rsa:2048", "-sha256"],
        ["rsa-sha384"] = ["-newkey", "rsa:2048", "-sha384"],
        ["rsa-sha512"] = ["-newkey", "rsa:2048", "-sha512"],
        ["rsa-sha1"] = ["-newkey", "rsa:2048", "-sha1"],
        ["rsa-pss-sha256"] = ["-newkey", "rsa:2048", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"],
        ["rsa-pss-sha384"] = ["-newkey", "rsa:2048", "-sha384", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:48"],
        ["rsa-pss-sha1"] = ["-newkey", "rsa:2048", "-sha1", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:20"],
        ["ed25519"] = ["-newkey", "ed25519"],
        ["client-ecdsa-p256"] = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-sha256"],
    };

    private readonly ConcurrentDictionary<string, Lazy<OpenSslCertificate>> _made = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("cbbtoolkit-tls-tests-").FullName;

    /// <summary>The certificate of that name (a key of <see cref="Specs"/>), made on first use.</summary>
    public OpenSslCertificate Get(string name) =>
        _made.GetOrAdd(name, n => new Lazy<OpenSslCertificate>(() => OpenSslCertificate.Create(_directory, n, Specs[n]))).Value;

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
