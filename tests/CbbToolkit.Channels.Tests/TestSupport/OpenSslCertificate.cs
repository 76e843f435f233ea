using System.Security.Cryptography.X509Certificates;

namespace CbbToolkit.Channels.Tests.TestSupport;

/// <summary>A self-signed certificate and key made by <c>openssl req -x509</c>, stored as PEM files.</summary>
internal sealed record OpenSslCertificate(string Name, string CertificatePem, string KeyPem)
{
    /// <summary>The certificate with its private key, for an SslStream.</summary>
    public X509Certificate2 Load() => X509Certificate2.CreateFromPemFile(CertificatePem, KeyPem);

    /// <summary>The DER encoding, as openssl writes it.</summary>
    public byte[] Der() => OpenSslCli.CertificateDer(CertificatePem);

    /// <summary>Makes a certificate in the directory with extra <c>openssl req</c> arguments (key type, digest, sigopts).</summary>
    public static OpenSslCertificate Create(string directory, string name, params string[] requestArguments)
    {
        var certificate = Path.Combine(directory, name + ".crt.pem");
        var key = Path.Combine(directory, name + ".key.pem");
        OpenSslCli.Run(["req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=" + name, "-keyout", key, "-out", certificate, .. requestArguments]);
        return new OpenSslCertificate(name, certificate, key);
    }
}
