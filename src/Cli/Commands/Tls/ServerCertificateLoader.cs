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

        X509Certificate2? leaf = null;
        try
        {
            leaf = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            var context = SslStreamCertificateContext.Create(leaf, LoadChain(certificatePath), offline: true);
            leaf = null; // the context holds it for as long as the server serves
            return context;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CommandFailedException(
                $"cannot load the certificate '{certificatePath}' with the key '{keyPath}': {TlsOptions.Describe(e)}; " +
                "both must be PEM (BEGIN CERTIFICATE / BEGIN PRIVATE KEY) and the key must belong to the certificate", e);
        }
        finally
        {
            leaf?.Dispose();
        }
    }

    // The certificates after the first in the file: the first is the server's own, loaded with its key above.
    private static X509Certificate2Collection LoadChain(string certificatePath)
    {
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(certificatePath);
        if (chain.Count > 0)
        {
            var own = chain[0];
            chain.RemoveAt(0);
            own.Dispose();
        }

        return chain;
    }
}
