using System.Text.RegularExpressions;
using CbbToolkit.Testing.Capabilities;
using CbbToolkit.Testing.Certificates;

namespace CbbToolkit.Cli.Tests.Infrastructure;

/// <summary>
/// The built samples/CbbServer (issue 6's server: real Kestrel, the IPsec channel middleware, /whoami) as a child
/// process with a TLS endpoint on 127.0.0.1, for <c>cbb http get</c>.
/// </summary>
internal sealed partial class SampleServer : IDisposable
{
    private readonly ChildProcess _process;

    private SampleServer(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The TLS port.</summary>
    public int Port { get; }

    /// <summary>The authority as pins key it: 127.0.0.1:PORT.</summary>
    public string Authority => $"127.0.0.1:{Port}";

    /// <summary>The /whoami URL.</summary>
    public string WhoAmI => $"https://127.0.0.1:{Port}/whoami";

    /// <summary>What the server wrote, for failure messages.</summary>
    public string Output() => _process.Output();

    /// <summary>
    /// Starts the server with <paramref name="certificate"/> on 127.0.0.1:<paramref name="port"/> (0: one the kernel picks)
    /// and waits for its "listening on" line. Skips the test without root: the server reads the kernel's IPsec state at
    /// start-up (XFRM netlink, CAP_NET_ADMIN) and refuses to start without it.
    /// </summary>
    public static async Task<SampleServer> StartAsync(OpenSslCertificate certificate, int port = 0)
    {
        Root.Require("samples/CbbServer (it reads the kernel's IPsec state over XFRM netlink)");
        var process = ChildProcess.Start(DotnetHost.Path,
            [Dll(), "--tls", $"127.0.0.1:{port}", "--cert", certificate.CertificatePem, "--key", certificate.KeyPem]);
        try
        {
            var listening = await process.WaitForAsync(ListeningLine(), TimeSpan.FromSeconds(60));
            return new SampleServer(process, int.Parse(listening.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Stops the server (the process is killed, its port freed).</summary>
    public void Dispose() => _process.Dispose();

    private static string Dll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CbbToolkit.sln")))
            {
                var built = Path.Combine(dir.FullName, "samples", "CbbServer", "bin", configuration, "net10.0", "CbbServer.dll");
                return File.Exists(built) ? built : throw new FileNotFoundException($"{built} is missing: build samples/CbbServer ({configuration}) first.");
            }
        }

        throw new FileNotFoundException($"no CbbToolkit.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"listening on https://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
