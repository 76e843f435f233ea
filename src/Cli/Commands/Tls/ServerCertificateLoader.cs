using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CbbToolkit.Cli.CommandLine;

namespace CbbToolkit.Cli.Commands.Tls;

/// <summary>Loads the server certificate (with any chain certificates after it) and its private key from PEM files.</summary>
internal static class ServerCertificateLoader
{
    /// <summary>Returns the context SslStream serves; the first certificate in the file is the server's own.</summary>
    /// <exception cref="CommandFailedException">A file is missing or unreadable, not PEM, or the key does not match.</exception>
    public static SslStreamCertificateContext Load(string certificatePath, string keyPath)
    {
        foreach (var path in new[] { certificatePath, keyPath })
        {
            if (!File.Exists(path))
            {
                throw new CommandFailedException($"cannot read '{path}': no such file");
            }
        }

        try
        {
            var leaf = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(certificatePath);
            var chain = new X509Certificate2Collection();
            foreach (var c in all.Skip(1))
            {
                chain.Add(c);
            }

            return SslStreamCertificateContext.Create(leaf, chain, offline: true);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CommandFailedException(
                $"cannot load the certificate '{certificatePath}' with the key '{keyPath}': {TlsOptions.Describe(e)}; " +
                "both must be PEM (BEGIN CERTIFICATE / BEGIN PRIVATE KEY) and the key must belong to the certificate", e);
        }
    }
}
