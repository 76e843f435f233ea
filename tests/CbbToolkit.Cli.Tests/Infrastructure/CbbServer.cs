using CbbToolkit.Testing.Certificates;

namespace CbbToolkit.Cli.Tests.Infrastructure;

/// <summary>Runs <c>cbb tls serve</c> on a loopback port the kernel picks and reads back which one.</summary>
internal static class CbbServer
{
    /// <summary>Starts the server and waits for its "listening on IP:PORT" line; returns the process and that end point.</summary>
    public static async Task<(ChildProcess Process, string EndPoint)> StartAsync(OpenSslCertificate certificate, string listen, params string[] extra)
    {
        var process = CbbProcess.Start(["tls", "serve", "--listen", listen, "--cert", certificate.CertificatePem, "--key", certificate.KeyPem, .. extra]);
        try
        {
            var line = await process.WaitForStderrAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal));
            return (process, line["listening on ".Length..].Trim());
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }
}
