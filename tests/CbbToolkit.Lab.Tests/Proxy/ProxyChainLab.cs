using System.Net;
using CbbToolkit.Lab.Tests.CbbServer;
using CbbToolkit.Testing.Charon;

namespace CbbToolkit.Lab.Tests.Proxy;

/// <summary>
/// The demo topology (samples/demo/topology.sh: client 10.96.1.1 - proxy 10.96.1.2 / 10.96.2.2 - backend 10.96.2.3, three
/// charons, both child SAs up) with samples/CbbServer as the backend (plaintext, accepting forwarded identity from
/// proxy.test only) and samples/CbbProxy as the proxy (a plaintext endpoint for verified channels, a TLS one with client
/// certificates, the cluster to the backend with Cbb.Require=verified). Clients run in the client namespace.
/// </summary>
internal sealed class ProxyChainLab : IAsyncDisposable
{
    /// <summary>The test collection of every class using this lab: its namespace names are fixed, so one lab at a time.</summary>
    public const string Collection = "demo topology";

    public const string ClientNamespace = "cbbdemo-client";
    public const string ProxyNamespace = "cbbdemo-proxy";
    public const string BackendNamespace = "cbbdemo-backend";

    private ProxyChainLab(string work, LabCertificates certificates, ChildProcess backend, ChildProcess proxy)
    {
        Work = work;
        Certificates = certificates;
        Backend = backend;
        Proxy = proxy;
    }

    /// <summary>The client's address the front child SA covers.</summary>
    public static IPAddress Client { get; } = IPAddress.Parse("10.96.1.1");

    /// <summary>A client address no SA covers.</summary>
    public static IPAddress Unprotected { get; } = IPAddress.Parse("10.96.1.9");

    public static Uri Plaintext { get; } = new("http://10.96.1.2:8080/");

    public static Uri Tls { get; } = new("https://10.96.1.2:8443/");

    public string Work { get; }

    public LabCertificates Certificates { get; }

    public ChildProcess Backend { get; }

    public ChildProcess Proxy { get; }

    /// <summary>Starts the lab; <paramref name="proxyArguments"/> are added to CbbProxy's command line (configuration keys).</summary>
    public static async Task<ProxyChainLab> StartAsync(params string[] proxyArguments)
    {
        var work = Directory.CreateTempSubdirectory("cbb-proxy-lab-").FullName;
        var topology = Topology();
        ChildProcess? backend = null;
        try
        {
            Tool.Run("sh", [topology, "up", work], timeout: TimeSpan.FromSeconds(120));
            var certificates = new LabCertificates(Directory.CreateDirectory(Path.Combine(work, "tls")).FullName);
            backend = await CbbServerProcess.StartAsync(BackendNamespace,
                ["--plaintext", "10.96.2.3:8080", "--known-proxy", "proxy.test", "--vici", $"unix://{work}/backend/charon.vici"], endpoints: 1);
            var proxy = await CbbServerProcess.StartAsync("CbbProxy", "Now listening on:", ProxyNamespace,
            [
                "--CbbProxy:Listen:0=10.96.1.2:8080", $"--CbbProxy:Vici={work}/proxy/charon.vici",
                "--CbbProxy:Tls=10.96.1.2:8443", $"--CbbProxy:Cert={certificates.ServerCertificate}",
                $"--CbbProxy:Key={certificates.ServerKey}", $"--CbbProxy:ClientCa={certificates.CaCertificate}", .. proxyArguments,
            ], endpoints: 2);
            return new ProxyChainLab(work, certificates, backend, proxy);
        }
        catch
        {
            backend?.Dispose();
            Down(topology, work);
            throw;
        }
    }

    /// <summary>A client in the client namespace, from <paramref name="source"/> (default: the protected address).</summary>
    public LabClient ClientFrom(IPAddress? source = null, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null) =>
        new(ClientNamespace, source ?? Client, certificate, Certificates.ServerSha256, Log);

    /// <summary>Both processes' logs, for failure messages.</summary>
    public string Log() => "proxy:\n" + Proxy.Output() + "\nbackend:\n" + Backend.Output();

    public ValueTask DisposeAsync()
    {
        Proxy.Dispose();
        Backend.Dispose();
        Down(Topology(), Work);
        return ValueTask.CompletedTask;
    }

    private static void Down(string topology, string work)
    {
        Tool.TryRun("sh", [topology, "down", work]);
        Directory.Delete(work, recursive: true);
    }

    private static string Topology() => Path.GetFullPath(Path.Combine(CharonLab.Scripts, "..", "..", "..", "samples", "demo", "topology.sh"));
}
