using System.Net;
using CbbToolkit.Ipsec.Vici;
using CbbToolkit.Testing.Charon;
using Xunit;

namespace CbbToolkit.Lab.Tests.CbbServer;

/// <summary>
/// One test's lab: two real charons (raw ECDSA keys, a.test and b.test, child "lab" in transport mode over kernel-netlink,
/// charon's own SPD policies for TCP between 10.98.0.1 and .2, initiated by A at start), a third address on A
/// (10.98.0.3) that no policy covers, the TLS credentials, and samples/CbbServer in B with a plaintext endpoint on
/// 10.98.0.2:8080 and a TLS one on :8443 (client CA, VICI of B's charon).
/// </summary>
internal sealed class CbbServerLab : IAsyncDisposable
{
    public const int PlaintextPort = 8080;
    public const int TlsPort = 8443;

    private CbbServerLab(CharonPair pair, LabCertificates certificates, ChildProcess server)
    {
        Pair = pair;
        Certificates = certificates;
        Server = server;
    }

    public static CharonPairOptions Options { get; } = new()
    {
        Mode = CharonMode.Transport,
        Kernel = CharonKernel.Netlink,
        InstallPolicies = true,
        TrafficSelectorProtocol = "tcp",
        Initiate = true,
        AddressA = IPAddress.Parse("10.98.0.1"),
        AddressB = IPAddress.Parse("10.98.0.2"),
        NamespacePrefix = "cbb-srv-",
    };

    /// <summary>An address of A that no SA protects (the policies name 10.98.0.1 only).</summary>
    public static IPAddress Unprotected { get; } = IPAddress.Parse("10.98.0.3");

    public CharonPair Pair { get; }

    public LabCertificates Certificates { get; }

    /// <summary>The running CbbServer (its log: <see cref="ChildProcess.Combined"/>).</summary>
    public ChildProcess Server { get; }

    public Uri Plaintext => new($"http://{Pair.B.Address}:{PlaintextPort}/");

    public Uri Tls => new($"https://{Pair.B.Address}:{TlsPort}/");

    /// <summary>
    /// Starts the lab. <paramref name="trustedPeerIds"/>: the server trusts only IKE peers matching one of these
    /// (configuration IpsecChannels:TrustedPeerIds, set through the environment); none given: any authenticated peer.
    /// </summary>
    public static async Task<CbbServerLab> StartAsync(bool ipsecPrincipal, CancellationToken ct, params string[] trustedPeerIds)
    {
        var pair = await CharonPair.StartAsync(Options, ct);
        try
        {
            Tool.Run("ip", ["-n", pair.A.Namespace, "addr", "add", $"{Unprotected}/24", "dev", pair.A.Interface]);
            var certificates = new LabCertificates(Directory.CreateDirectory(Path.Combine(pair.Work, "tls")).FullName);
            List<string> args =
            [
                "--plaintext", $"{pair.B.Address}:{PlaintextPort}",
                "--tls", $"{pair.B.Address}:{TlsPort}", "--cert", certificates.ServerCertificate, "--key", certificates.ServerKey,
                "--client-ca", certificates.CaCertificate,
                "--vici", pair.B.Uri,
            ];
            if (ipsecPrincipal)
            {
                args.Add("--ipsec-principal");
            }

            var environment = trustedPeerIds.Select((id, i) => $"IpsecChannels__TrustedPeerIds__{i}={id}").ToList();
            var server = await CbbServerProcess.StartAsync(pair.B.Namespace, args, endpoints: 2, environment);
            return new CbbServerLab(pair, certificates, server);
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client in A, from 10.98.0.1 (protected) or <paramref name="source"/>, offering <paramref name="certificate"/> on TLS.</summary>
    public LabClient Client(IPAddress? source = null, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null) =>
        new(Pair.A.Namespace, source ?? Pair.A.Address, certificate, Certificates.ServerSha256, Log);

    /// <summary>B's child SA "lab" as B's charon reports it: the SPIs (B's outbound, B's inbound) and the IKE SA's id.</summary>
    public async Task<(uint Outbound, uint Inbound, uint IkeSa)> ServerChildAsync(CancellationToken ct)
    {
        await using var vici = new ViciClient(Pair.B.Uri);
        var ike = Assert.Single(await vici.ListIkeSasAsync(cancellationToken: ct));
        var child = Assert.Single(ike.ChildSas, c => c.State == "INSTALLED");
        return (child.OutboundSpi!.Value, child.InboundSpi!.Value, ike.UniqueId);
    }

    /// <summary>The server's log so far, for failure messages.</summary>
    public string Log() => Server.Output() + "\ncharon B:\n" + Pair.B.LogTail();

    public async ValueTask DisposeAsync()
    {
        Server.Dispose();
        await Pair.DisposeAsync();
    }
}
