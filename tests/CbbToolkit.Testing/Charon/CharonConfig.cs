using System.Globalization;
using System.Net;
using CbbToolkit.Testing.Processes;

namespace CbbToolkit.Testing.Charon;

/// <summary>
/// One charon's configuration: <see cref="Write"/> makes its folder (strongswan.conf with a private VICI socket and log,
/// swanctl/ with connection and child "lab") with tests/lab/strongswan/gen-peer.sh, the lab's one config writer, so the
/// harness, the benchmarks and people at a shell get the same files.
/// </summary>
public sealed class CharonConfig
{
    /// <summary>The peer folder (created): VICI socket <c>charon.vici</c> and log <c>charon.log</c> live in it.</summary>
    public required string Directory { get; init; }

    /// <summary>Our IKE address.</summary>
    public required IPAddress LocalAddress { get; init; }

    /// <summary>The peer's IKE address.</summary>
    public required IPAddress RemoteAddress { get; init; }

    /// <summary>Our IKE identity (e.g. a.test).</summary>
    public required string LocalId { get; init; }

    /// <summary>The peer's IKE identity.</summary>
    public required string RemoteId { get; init; }

    /// <summary>Our private key (PKCS#8 PEM).</summary>
    public required string PrivateKeyPem { get; init; }

    /// <summary>The peer's public key (SubjectPublicKeyInfo PEM) that verifies it.</summary>
    public required string PeerPublicKeyPem { get; init; }

    /// <summary>Our certificate (PEM), for <see cref="CharonAuthentication.Certificate"/>.</summary>
    public string? CertificatePem { get; init; }

    /// <summary>The peer's certificate (PEM) it must present, for <see cref="CharonAuthentication.Certificate"/>.</summary>
    public string? PeerCertificatePem { get; init; }

    /// <summary>Raw public keys or pinned certificates.</summary>
    public CharonAuthentication Authentication { get; init; } = CharonAuthentication.PublicKey;

    /// <summary>Tunnel or transport mode.</summary>
    public CharonMode Mode { get; init; } = CharonMode.Tunnel;

    /// <summary>kernel-netlink or kernel-libipsec.</summary>
    public CharonKernel Kernel { get; init; } = CharonKernel.Netlink;

    /// <summary>Our traffic selector in swanctl syntax (e.g. <c>10.1.0.1/32[tcp]</c>); null = dynamic (the IKE address).</summary>
    public string? LocalTrafficSelector { get; init; }

    /// <summary>The peer's traffic selector; null = dynamic.</summary>
    public string? RemoteTrafficSelector { get; init; }

    /// <summary>What charon does with the child once loaded.</summary>
    public CharonStartAction StartAction { get; init; } = CharonStartAction.None;

    /// <summary>The child SA's reqid; 0 = charon picks.</summary>
    public uint RequestId { get; init; }

    /// <summary>Whether charon installs the SPD policies (false: per-socket policies decide what is protected).</summary>
    public bool InstallPolicies { get; init; } = true;

    /// <summary>Writes the folder; a bad combination (e.g. libipsec in transport mode) fails with gen-peer.sh's message.</summary>
    public void Write() => Tool.Run(CharonLab.Script("gen-peer.sh"), Arguments());

    /// <summary>The gen-peer.sh command line for this configuration.</summary>
    public IReadOnlyList<string> Arguments()
    {
        List<string> args =
        [
            "--dir", Directory, "--local-addr", LocalAddress.ToString(), "--remote-addr", RemoteAddress.ToString(),
            "--local-id", LocalId, "--remote-id", RemoteId, "--key", PrivateKeyPem, "--peer-pub", PeerPublicKeyPem,
            "--mode", Mode == CharonMode.Tunnel ? "tunnel" : "transport",
            "--kernel", Kernel == CharonKernel.Netlink ? "netlink" : "libipsec",
            "--start-action", StartAction.ToString().ToLowerInvariant(),
            "--reqid", RequestId.ToString(CultureInfo.InvariantCulture),
            "--policies", InstallPolicies ? "yes" : "no",
        ];
        if (LocalTrafficSelector is not null)
        {
            args.AddRange(["--local-ts", LocalTrafficSelector]);
        }

        if (RemoteTrafficSelector is not null)
        {
            args.AddRange(["--remote-ts", RemoteTrafficSelector]);
        }

        if (Authentication == CharonAuthentication.Certificate)
        {
            args.AddRange(["--auth", "x509",
                "--cert", CertificatePem ?? throw new InvalidOperationException("certificate authentication needs CertificatePem"),
                "--peer-cert", PeerCertificatePem ?? throw new InvalidOperationException("certificate authentication needs PeerCertificatePem")]);
        }

        return args;
    }
}
