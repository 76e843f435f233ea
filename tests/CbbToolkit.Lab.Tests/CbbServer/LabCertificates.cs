using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CbbToolkit.Lab.Tests.CbbServer;

/// <summary>
/// The TLS credentials of one CbbServer run, made by the openssl CLI in a folder of the test: a client CA, a client
/// certificate it issued (CN=alice, clientAuth), one it did not (CN=mallory, self-signed), and the server's certificate
/// (CN=server.test, self-signed; the clients pin its SHA-256).
/// </summary>
internal sealed class LabCertificates
{
    private const string P256 = "ec_paramgen_curve:P-256";

    public LabCertificates(string directory)
    {
        Directory = directory;
        Req("ca", "/CN=cbb-lab-client-ca", "basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign");
        Req("server", "/CN=server.test", "subjectAltName=DNS:server.test", "extendedKeyUsage=serverAuth");
        Req("mallory", "/CN=mallory", "extendedKeyUsage=clientAuth");
        Key("alice");
        Tool.Run("openssl", ["req", "-new", "-key", Pem("alice.key"), "-subj", "/CN=alice", "-out", Pem("alice.csr")]);
        File.WriteAllText(Pem("alice.ext"), "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n");
        Tool.Run("openssl", ["x509", "-req", "-in", Pem("alice.csr"), "-CA", CaCertificate, "-CAkey", Pem("ca.key"), "-CAcreateserial",
            "-days", "2", "-sha256", "-extfile", Pem("alice.ext"), "-out", Pem("alice.crt")]);
    }

    public string Directory { get; }

    public string CaCertificate => Pem("ca.crt");

    public string ServerCertificate => Pem("server.crt");

    public string ServerKey => Pem("server.key");

    /// <summary>The client certificate the CA issued (CN=alice).</summary>
    public X509Certificate2 Alice() => Load("alice");

    /// <summary>A client certificate no configured CA issued (CN=mallory).</summary>
    public X509Certificate2 Mallory() => Load("mallory");

    /// <summary>The server certificate's SHA-256 (lower-case hex), which the clients pin.</summary>
    public string ServerSha256 { get; private set; } = "";

    /// <summary>Whether <paramref name="certificate"/> is the server certificate (the clients' pin check).</summary>
    public bool IsServer(X509Certificate? certificate) => HasSha256(certificate, ServerSha256);

    /// <summary>Whether <paramref name="certificate"/>'s SHA-256 is <paramref name="sha256"/> (lower-case hex).</summary>
    public static bool HasSha256(X509Certificate? certificate, string sha256) =>
        certificate is not null && Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData())) == sha256;

    private X509Certificate2 Load(string name)
    {
        // Through PKCS#12: an ephemeral PEM key cannot be used by the client's TLS on every platform.
        using var pem = X509Certificate2.CreateFromPemFile(Pem(name + ".crt"), Pem(name + ".key"));
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private void Key(string name) => Tool.Run("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", P256, "-out", Pem(name + ".key")]);

    private void Req(string name, string subject, params string[] extensions)
    {
        Key(name);
        var args = new List<string> { "req", "-new", "-x509", "-key", Pem(name + ".key"), "-subj", subject, "-days", "2", "-sha256", "-out", Pem(name + ".crt") };
        foreach (var e in extensions)
        {
            args.AddRange(["-addext", e]);
        }

        Tool.Run("openssl", args);
        if (name == "server")
        {
            var line = Tool.Run("openssl", ["x509", "-in", Pem("server.crt"), "-noout", "-fingerprint", "-sha256"]).Trim();
            ServerSha256 = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
        }
    }

    private string Pem(string file) => Path.Combine(Directory, file);
}
